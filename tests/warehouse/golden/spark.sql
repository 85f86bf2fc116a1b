-- Summary statistics for Throughline (Spark SQL / Databricks): one row per variant.
-- Save the result as a CSV file and add it on the Data page.
SELECT
  `group` AS variant,
  COUNT(*) AS n,
  COUNT(CASE WHEN isnan(CAST(`order` AS DOUBLE)) OR abs(CAST(`order` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`order` AS DOUBLE) END) AS order_n,
  AVG(CASE WHEN isnan(CAST(`order` AS DOUBLE)) OR abs(CAST(`order` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`order` AS DOUBLE) END) AS order_mean,
  STDDEV_SAMP(CASE WHEN isnan(CAST(`order` AS DOUBLE)) OR abs(CAST(`order` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`order` AS DOUBLE) END) AS order_std_dev,
  COUNT(CASE WHEN isnan(CAST(`Revenue USD` AS DOUBLE)) OR abs(CAST(`Revenue USD` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`Revenue USD` AS DOUBLE) END) AS revenue_usd_n,
  AVG(CASE WHEN isnan(CAST(`Revenue USD` AS DOUBLE)) OR abs(CAST(`Revenue USD` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`Revenue USD` AS DOUBLE) END) AS revenue_usd_mean,
  STDDEV_SAMP(CASE WHEN isnan(CAST(`Revenue USD` AS DOUBLE)) OR abs(CAST(`Revenue USD` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`Revenue USD` AS DOUBLE) END) AS revenue_usd_std_dev,
  COUNT(CASE WHEN isnan(CAST(`buyer's "score"` AS DOUBLE)) OR abs(CAST(`buyer's "score"` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`buyer's "score"` AS DOUBLE) END) AS buyer_s_score_n,
  AVG(CASE WHEN isnan(CAST(`buyer's "score"` AS DOUBLE)) OR abs(CAST(`buyer's "score"` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`buyer's "score"` AS DOUBLE) END) AS buyer_s_score_mean,
  STDDEV_SAMP(CASE WHEN isnan(CAST(`buyer's "score"` AS DOUBLE)) OR abs(CAST(`buyer's "score"` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`buyer's "score"` AS DOUBLE) END) AS buyer_s_score_std_dev,
  COUNT(CASE WHEN isnan(CAST(`days``active` AS DOUBLE)) OR abs(CAST(`days``active` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`days``active` AS DOUBLE) END) AS days_active_n,
  AVG(CASE WHEN isnan(CAST(`days``active` AS DOUBLE)) OR abs(CAST(`days``active` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`days``active` AS DOUBLE) END) AS days_active_mean,
  STDDEV_SAMP(CASE WHEN isnan(CAST(`days``active` AS DOUBLE)) OR abs(CAST(`days``active` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE CAST(`days``active` AS DOUBLE) END) AS days_active_std_dev
FROM project.dataset.`table`
WHERE segment <> 'internal'
GROUP BY `group`
ORDER BY `group`;

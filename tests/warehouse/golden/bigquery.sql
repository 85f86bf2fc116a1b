-- Summary statistics for Throughline (BigQuery): one row per variant.
-- Save the result as a CSV file and add it on the Data page.
SELECT
  `group` AS variant,
  COUNT(*) AS n,
  COUNT(IF(IS_NAN(CAST(`order` AS FLOAT64)) OR IS_INF(CAST(`order` AS FLOAT64)), NULL, CAST(`order` AS FLOAT64))) AS order_n,
  AVG(IF(IS_NAN(CAST(`order` AS FLOAT64)) OR IS_INF(CAST(`order` AS FLOAT64)), NULL, CAST(`order` AS FLOAT64))) AS order_mean,
  STDDEV_SAMP(IF(IS_NAN(CAST(`order` AS FLOAT64)) OR IS_INF(CAST(`order` AS FLOAT64)), NULL, CAST(`order` AS FLOAT64))) AS order_std_dev,
  COUNT(IF(IS_NAN(CAST(`Revenue USD` AS FLOAT64)) OR IS_INF(CAST(`Revenue USD` AS FLOAT64)), NULL, CAST(`Revenue USD` AS FLOAT64))) AS revenue_usd_n,
  AVG(IF(IS_NAN(CAST(`Revenue USD` AS FLOAT64)) OR IS_INF(CAST(`Revenue USD` AS FLOAT64)), NULL, CAST(`Revenue USD` AS FLOAT64))) AS revenue_usd_mean,
  STDDEV_SAMP(IF(IS_NAN(CAST(`Revenue USD` AS FLOAT64)) OR IS_INF(CAST(`Revenue USD` AS FLOAT64)), NULL, CAST(`Revenue USD` AS FLOAT64))) AS revenue_usd_std_dev,
  COUNT(IF(IS_NAN(CAST(`buyer's "score"` AS FLOAT64)) OR IS_INF(CAST(`buyer's "score"` AS FLOAT64)), NULL, CAST(`buyer's "score"` AS FLOAT64))) AS buyer_s_score_n,
  AVG(IF(IS_NAN(CAST(`buyer's "score"` AS FLOAT64)) OR IS_INF(CAST(`buyer's "score"` AS FLOAT64)), NULL, CAST(`buyer's "score"` AS FLOAT64))) AS buyer_s_score_mean,
  STDDEV_SAMP(IF(IS_NAN(CAST(`buyer's "score"` AS FLOAT64)) OR IS_INF(CAST(`buyer's "score"` AS FLOAT64)), NULL, CAST(`buyer's "score"` AS FLOAT64))) AS buyer_s_score_std_dev,
  COUNT(IF(IS_NAN(CAST(`days\`active` AS FLOAT64)) OR IS_INF(CAST(`days\`active` AS FLOAT64)), NULL, CAST(`days\`active` AS FLOAT64))) AS days_active_n,
  AVG(IF(IS_NAN(CAST(`days\`active` AS FLOAT64)) OR IS_INF(CAST(`days\`active` AS FLOAT64)), NULL, CAST(`days\`active` AS FLOAT64))) AS days_active_mean,
  STDDEV_SAMP(IF(IS_NAN(CAST(`days\`active` AS FLOAT64)) OR IS_INF(CAST(`days\`active` AS FLOAT64)), NULL, CAST(`days\`active` AS FLOAT64))) AS days_active_std_dev
FROM project.dataset.`table`
WHERE segment <> 'internal'
GROUP BY `group`
ORDER BY `group`;

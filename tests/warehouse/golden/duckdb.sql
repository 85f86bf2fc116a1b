-- Summary statistics for Throughline (DuckDB): one row per variant.
-- Save the result as a CSV file and add it on the Data page.
SELECT
  "group" AS variant,
  COUNT(*) AS n,
  COUNT(CASE WHEN isfinite(CAST("order" AS DOUBLE)) THEN CAST("order" AS DOUBLE) END) AS order_n,
  AVG(CASE WHEN isfinite(CAST("order" AS DOUBLE)) THEN CAST("order" AS DOUBLE) END) AS order_mean,
  STDDEV_SAMP(CASE WHEN isfinite(CAST("order" AS DOUBLE)) THEN CAST("order" AS DOUBLE) END) AS order_std_dev,
  COUNT(CASE WHEN isfinite(CAST("Revenue USD" AS DOUBLE)) THEN CAST("Revenue USD" AS DOUBLE) END) AS revenue_usd_n,
  AVG(CASE WHEN isfinite(CAST("Revenue USD" AS DOUBLE)) THEN CAST("Revenue USD" AS DOUBLE) END) AS revenue_usd_mean,
  STDDEV_SAMP(CASE WHEN isfinite(CAST("Revenue USD" AS DOUBLE)) THEN CAST("Revenue USD" AS DOUBLE) END) AS revenue_usd_std_dev,
  COUNT(CASE WHEN isfinite(CAST("buyer's ""score""" AS DOUBLE)) THEN CAST("buyer's ""score""" AS DOUBLE) END) AS buyer_s_score_n,
  AVG(CASE WHEN isfinite(CAST("buyer's ""score""" AS DOUBLE)) THEN CAST("buyer's ""score""" AS DOUBLE) END) AS buyer_s_score_mean,
  STDDEV_SAMP(CASE WHEN isfinite(CAST("buyer's ""score""" AS DOUBLE)) THEN CAST("buyer's ""score""" AS DOUBLE) END) AS buyer_s_score_std_dev,
  COUNT(CASE WHEN isfinite(CAST("days`active" AS DOUBLE)) THEN CAST("days`active" AS DOUBLE) END) AS days_active_n,
  AVG(CASE WHEN isfinite(CAST("days`active" AS DOUBLE)) THEN CAST("days`active" AS DOUBLE) END) AS days_active_mean,
  STDDEV_SAMP(CASE WHEN isfinite(CAST("days`active" AS DOUBLE)) THEN CAST("days`active" AS DOUBLE) END) AS days_active_std_dev
FROM project.dataset."table"
WHERE segment <> 'internal'
GROUP BY "group"
ORDER BY "group";

-- The report's split of outcomes: how many per class (2xx 3xx 4xx 5xx), each with its
-- permanence (success intermediate transient permanent), and their share of all outcomes.
-- A refusal (action 'refused': one host of several tried) is not an outcome, because the
-- status line that follows it repeats its reply; nor is a reject warning (action
-- 'reject_warning'), which no client saw. The report keeps both apart too.
SELECT
    class,
    permanence,
    count(*) AS count,
    round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM events
WHERE action NOT IN ('refused', 'reject_warning')
GROUP BY class, permanence
ORDER BY class;

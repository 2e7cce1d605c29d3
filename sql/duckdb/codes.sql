-- The codes table of `mailsift report --format csv`, computed from `mailsift events`: one row
-- per reply code and enhanced code (the code in the reply text, else Postfix's dsn=), with
-- class, permanence, count, share of all outcomes, first and last time seen, top destination
-- and its count, and reason. The name and advice columns come from mailsift's knowledge base
-- and cannot be computed from events.
--
-- The rules are the report's:
-- * a refusal (action 'refused') or a reject warning (action 'reject_warning') is not an
--   outcome and is left out;
-- * a line without any code is keyed by its reason as well, so that relay refusals,
--   greylistings and timeouts logged without a number stay apart;
-- * each direction of a code is counted apart first, then the two are added together: the
--   row takes its reason and its top destination from the direction with more outcomes
--   (outbound on a tie), the one its advice is for; the other direction's top destination
--   is taken only when that one has none. An outbound event goes to the recipient's domain; an inbound one comes from a
--   client, named in lower case, or by its address when the name is missing or 'unknown';
-- * a reason or destination tied on count goes to the name first in byte order;
-- * rows come by count, largest first, then by class, reply code, enhanced code (numerically)
--   and reason.
-- Times compare as instants: a time written without an offset is read in the session's time
-- zone (SET TimeZone = '...').
-- (DuckDB's lower() also lowers non-ASCII letters, which mailsift leaves as they are.)
WITH outcomes AS (
    SELECT
        direction,
        class,
        permanence,
        coalesce(reply_code, '') AS reply,
        coalesce(enhanced_code, dsn, '') AS enhanced,
        CASE WHEN reply_code IS NULL AND enhanced_code IS NULL AND dsn IS NULL
            THEN reason ELSE '' END AS codeless_reason,
        reason,
        timestamp,
        CASE
            WHEN direction = 'outbound' THEN recipient_domain
            WHEN remote_host IS NULL OR remote_host = 'unknown' THEN remote_ip
            ELSE lower(remote_host)
        END AS destination
    FROM events
    WHERE action NOT IN ('refused', 'reject_warning')
),
-- Per direction and code, each reason with its rank.
reasons AS (
    SELECT
        direction, class, permanence, reply, enhanced, codeless_reason, reason,
        count(*) AS n,
        min(timestamp) AS first_seen,
        max(timestamp) AS last_seen,
        row_number() OVER (
            PARTITION BY direction, class, permanence, reply, enhanced, codeless_reason
            ORDER BY count(*) DESC, reason
        ) AS rank
    FROM outcomes
    GROUP BY direction, class, permanence, reply, enhanced, codeless_reason, reason
),
-- Per direction and code, the totals and the main reason.
pieces AS (
    SELECT
        direction, class, permanence, reply, enhanced, codeless_reason,
        sum(n) AS n,
        min(first_seen) AS first_seen,
        max(last_seen) AS last_seen,
        arg_min(reason, rank) AS reason
    FROM reasons
    GROUP BY direction, class, permanence, reply, enhanced, codeless_reason
),
-- Per direction and code, the top destination.
tops AS (
    SELECT * EXCLUDE (rank)
    FROM (
        SELECT
            direction, class, permanence, reply, enhanced, codeless_reason,
            destination AS top_domain,
            count(*) AS top_n,
            row_number() OVER (
                PARTITION BY direction, class, permanence, reply, enhanced, codeless_reason
                ORDER BY count(*) DESC, destination
            ) AS rank
        FROM outcomes
        WHERE destination IS NOT NULL
        GROUP BY direction, class, permanence, reply, enhanced, codeless_reason, destination
    )
    WHERE rank = 1
),
-- The two directions of a code, the larger first.
ordered AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY class, permanence, reply, enhanced, codeless_reason
            ORDER BY n DESC, direction = 'inbound'
        ) AS piece
    FROM pieces
    LEFT JOIN tops USING (direction, class, permanence, reply, enhanced, codeless_reason)
),
merged AS (
    SELECT
        reply,
        enhanced,
        class,
        permanence,
        sum(n) AS n,
        min(first_seen) AS first_seen,
        max(last_seen) AS last_seen,
        arg_min(top_domain, piece) FILTER (WHERE top_domain IS NOT NULL) AS top_domain,
        arg_min(top_n, piece) FILTER (WHERE top_domain IS NOT NULL) AS top_domain_count,
        arg_min(reason, piece) AS reason
    FROM ordered
    GROUP BY class, permanence, reply, enhanced, codeless_reason
)
SELECT
    nullif(reply, '') AS reply_code,
    nullif(enhanced, '') AS enhanced_code,
    class,
    permanence,
    n AS count,
    round(n / sum(n) OVER (), 4) AS share,
    first_seen,
    last_seen,
    top_domain,
    top_domain_count,
    reason
FROM merged
ORDER BY
    n DESC,
    class,
    try_cast(reply AS INTEGER) NULLS FIRST,
    try_cast(split_part(enhanced, '.', 1) AS INTEGER) NULLS FIRST,
    try_cast(split_part(enhanced, '.', 2) AS INTEGER) NULLS FIRST,
    try_cast(split_part(enhanced, '.', 3) AS INTEGER) NULLS FIRST,
    reason;

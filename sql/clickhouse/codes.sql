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
--   is taken only when that one has none. An outbound event goes to the recipient's domain;
--   an inbound one comes from a client, named in lower case, or by its address when the name
--   is missing or 'unknown';
-- * a reason or destination tied on count goes to the name first in byte order;
-- * rows come by count, largest first, then by class, reply code, enhanced code (numerically)
--   and reason.
-- Times compare as instants: a time written without an offset is read in the time zone of
-- the column (see events.sql) or, reading a file, of the session (session_timezone).
WITH outcomes AS (
    SELECT
        direction,
        class,
        permanence,
        coalesce(reply_code, '') AS reply,
        coalesce(enhanced_code, dsn, '') AS enhanced,
        if(reply_code IS NULL AND enhanced_code IS NULL AND dsn IS NULL, reason, '')
            AS codeless_reason,
        reason,
        timestamp,
        multiIf(
            direction = 'outbound', recipient_domain,
            remote_host IS NULL OR remote_host = 'unknown', remote_ip,
            lower(remote_host)
        ) AS destination
    FROM events
    WHERE action NOT IN ('refused', 'reject_warning')
),
-- Per direction and code, each reason with its rank.
reasons AS (
    SELECT
        direction, class, permanence, reply, enhanced, codeless_reason, reason,
        count() AS n,
        min(timestamp) AS first_seen,
        max(timestamp) AS last_seen,
        row_number() OVER (
            PARTITION BY direction, class, permanence, reply, enhanced, codeless_reason
            ORDER BY count() DESC, reason
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
        argMin(reason, rank) AS reason
    FROM reasons
    GROUP BY direction, class, permanence, reply, enhanced, codeless_reason
),
-- Per direction and code, the top destination.
tops AS (
    SELECT direction, class, permanence, reply, enhanced, codeless_reason, top_domain, top_n
    FROM (
        SELECT
            direction, class, permanence, reply, enhanced, codeless_reason,
            destination AS top_domain,
            count() AS top_n,
            row_number() OVER (
                PARTITION BY direction, class, permanence, reply, enhanced, codeless_reason
                ORDER BY count() DESC, destination
            ) AS rank
        FROM outcomes
        WHERE destination IS NOT NULL
        GROUP BY direction, class, permanence, reply, enhanced, codeless_reason, destination
    )
    WHERE rank = 1
),
-- The two directions of a code, the larger first. A direction without any destination has
-- a top count of 0 here.
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
        sum(n) AS total,
        min(first_seen) AS first_seen,
        max(last_seen) AS last_seen,
        argMinIf(top_domain, piece, top_n > 0) AS top_domain,
        nullIf(argMinIf(top_n, piece, top_n > 0), 0) AS top_domain_count,
        argMin(reason, piece) AS main_reason
    FROM ordered
    GROUP BY class, permanence, reply, enhanced, codeless_reason
)
SELECT
    nullIf(reply, '') AS reply_code,
    nullIf(enhanced, '') AS enhanced_code,
    class,
    permanence,
    total AS count,
    round(total / sum(total) OVER (), 4) AS share,
    first_seen,
    last_seen,
    nullIf(top_domain, '') AS top_domain,
    top_domain_count,
    main_reason AS reason
FROM merged
ORDER BY
    total DESC,
    class,
    toUInt16OrNull(reply) NULLS FIRST,
    toUInt16OrNull(splitByChar('.', enhanced)[1]) NULLS FIRST,
    toUInt16OrNull(splitByChar('.', enhanced)[2]) NULLS FIRST,
    toUInt16OrNull(splitByChar('.', enhanced)[3]) NULLS FIRST,
    main_reason;

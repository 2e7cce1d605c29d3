-- The ten most frequent destinations of every code, as the report lists them per code. A
-- code is counted apart for each direction: the same code sent to us by a remote server and
-- sent by our server to a client calls for different work. An outbound event goes to the
-- recipient's domain; an inbound one comes from a client, named in lower case, or by its
-- address when the name is missing or 'unknown'. A tie on count goes to the name first in
-- byte order. The enhanced code is the one in the reply text, else Postfix's dsn=; a line
-- without any code is keyed by its reason as well. Refusals (action 'refused') and reject
-- warnings (action 'reject_warning') are not outcomes and are left out.
WITH outcomes AS (
    SELECT
        direction,
        class,
        coalesce(reply_code, '') AS reply,
        coalesce(enhanced_code, dsn, '') AS enhanced,
        if(reply_code IS NULL AND enhanced_code IS NULL AND dsn IS NULL, reason, '')
            AS codeless_reason,
        multiIf(
            direction = 'outbound', recipient_domain,
            remote_host IS NULL OR remote_host = 'unknown', remote_ip,
            lower(remote_host)
        ) AS destination
    FROM events
    WHERE action NOT IN ('refused', 'reject_warning')
),
ranked AS (
    SELECT
        direction, class, reply, enhanced, codeless_reason, destination,
        count() AS n,
        row_number() OVER (
            PARTITION BY direction, class, reply, enhanced, codeless_reason
            ORDER BY count() DESC, destination
        ) AS rank
    FROM outcomes
    WHERE destination IS NOT NULL
    GROUP BY direction, class, reply, enhanced, codeless_reason, destination
)
SELECT
    direction,
    class,
    nullIf(reply, '') AS reply_code,
    nullIf(enhanced, '') AS enhanced_code,
    nullIf(codeless_reason, '') AS codeless_reason,
    rank,
    destination,
    n AS count
FROM ranked
WHERE rank <= 10
ORDER BY direction, class, reply, enhanced, codeless_reason, rank;

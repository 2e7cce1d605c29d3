-- A table for `mailsift events` from many hosts and days. Load either format into it:
--   clickhouse-client --date_time_input_format=best_effort \
--       --query 'INSERT INTO events FORMAT JSONEachRow' < events.ndjson
--   clickhouse-client --date_time_input_format=best_effort \
--       --query 'INSERT INTO events FORMAT CSVWithNames' < events.csv
-- best_effort reads the timestamps as mailsift writes them (RFC 3339, with or without an
-- offset); ClickHouse's default parser does not take the offset.
--
-- Columns follow the contract, in its order. Names and small vocabularies are LowCardinality;
-- a field a line may lack is Nullable (an empty CSV cell or a JSON null becomes NULL). Codes
-- are text. A time written without an offset is the log's local time: it is read in the
-- column's time zone, UTC here; give the zone of your logs if they are written in local time
-- without offsets. The ordering key serves queries per class, code and destination domain;
-- partitions hold one day each. allow_nullable_key lets the codes, the domain and the time,
-- which a line may lack, be part of the keys.
CREATE TABLE IF NOT EXISTS events
(
    file String,
    line UInt64,
    timestamp Nullable(DateTime64(6, 'UTC')),
    log_format LowCardinality(String),
    host LowCardinality(Nullable(String)),
    program LowCardinality(Nullable(String)),
    pid Nullable(UInt32),
    queue_id Nullable(String),
    direction LowCardinality(String),
    action LowCardinality(String),
    stage LowCardinality(Nullable(String)),
    reply_code LowCardinality(Nullable(String)),
    enhanced_code LowCardinality(Nullable(String)),
    dsn LowCardinality(Nullable(String)),
    class LowCardinality(String),
    permanence LowCardinality(String),
    reason LowCardinality(String),
    remote_host Nullable(String),
    remote_ip Nullable(String),
    sender Nullable(String),
    recipient Nullable(String),
    recipient_domain LowCardinality(Nullable(String)),
    text Nullable(String)
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (class, reply_code, enhanced_code, recipient_domain, timestamp)
SETTINGS allow_nullable_key = 1;

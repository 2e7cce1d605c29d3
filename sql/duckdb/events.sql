-- A DuckDB table for `mailsift events`, with the types fixed whatever the file holds (a type
-- guessed from the values cannot be right for a column that is empty in the whole file, such
-- as dsn in a log of Exim alone). Load either format into it:
--   INSERT INTO events BY NAME SELECT * FROM read_json_auto('events.ndjson');
--   INSERT INTO events BY NAME SELECT * FROM read_csv_auto('events.csv', all_varchar = true);
--
-- Columns follow the contract, in its order. A field a line may lack can be NULL (an empty
-- CSV cell or a JSON null). Codes are text. A timestamp with an offset is that instant; one
-- without is the log's local time and is read in the session's time zone: run
-- SET TimeZone = '...' with the zone of the logs before loading.
CREATE TABLE IF NOT EXISTS events (
    file VARCHAR NOT NULL,
    line UBIGINT NOT NULL,
    timestamp TIMESTAMPTZ,
    log_format VARCHAR NOT NULL,
    host VARCHAR,
    program VARCHAR,
    pid UINTEGER,
    queue_id VARCHAR,
    direction VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    stage VARCHAR,
    reply_code VARCHAR,
    enhanced_code VARCHAR,
    dsn VARCHAR,
    class VARCHAR NOT NULL,
    permanence VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    remote_host VARCHAR,
    remote_ip VARCHAR,
    sender VARCHAR,
    recipient VARCHAR,
    recipient_domain VARCHAR,
    text VARCHAR
);

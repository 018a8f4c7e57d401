#!/bin/sh
# Creates the Reflux event topics listed in topics.txt and their `<topic>.dlq` dead-letter topics,
# with the settings the services would use (KAFKA_TOPIC_PARTITIONS, KAFKA_TOPIC_REPLICATION_FACTOR,
# KAFKA_TOPIC_RETENTION_MS, KAFKA_DLQ_RETENTION_MS; dead-letter topics get one partition), as
# libs/messaging/src/kafka/kafka-topics.ts does. Idempotent: an existing topic is left as it is
# (its partition count is never changed, as that would move streams between partitions and break
# their order); a difference from the settings is reported.
set -eu
bin=/opt/kafka/bin
topics=/etc/reflux/kafka-topics/topics.txt
client=/etc/reflux/kafka-client/client.properties
set -- --bootstrap-server "$KAFKA_BROKERS"
if [ -f "$client" ]; then set -- "$@" --command-config "$client"; fi

ensure() {
  topic=$1 partitions=$2 retention=$3
  shift 3
  "$bin/kafka-topics.sh" "$@" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$KAFKA_TOPIC_REPLICATION_FACTOR" \
    --config "retention.ms=$retention" --config cleanup.policy=delete </dev/null
  actual=$("$bin/kafka-topics.sh" "$@" --describe --topic "$topic" </dev/null | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n 1)
  if [ "$actual" != "$partitions" ]; then
    echo "note: $topic exists with $actual partitions (settings: $partitions); left as it is" >&2
  fi
  echo "topic $topic: $actual partitions"
}

grep -v -e '^#' -e '^[[:space:]]*$' "$topics" | while read -r topic; do
  ensure "$topic" "$KAFKA_TOPIC_PARTITIONS" "$KAFKA_TOPIC_RETENTION_MS" "$@"
  ensure "$topic.dlq" 1 "$KAFKA_DLQ_RETENTION_MS" "$@"
done

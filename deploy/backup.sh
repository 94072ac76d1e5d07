#!/usr/bin/env bash
# Back up the database and the uploaded evidence together, into one dated folder, and keep the
# newest KEEP folders. Restore with deploy/restore.sh (README "Backups").
#
#   DATABASE_URL=postgres://keji:secret@127.0.0.1:5432/keji MEDIA_ROOT=/srv/keji/media \
#   BACKUP_DIR=/srv/keji/backups KEEP=14 deploy/backup.sh
#
# The database goes through pg_dump's custom format (exact: every row, every microsecond of a
# timestamp; `manage.py dumpdata` is not a backup, it rounds timestamps to milliseconds); the
# files under MEDIA_ROOT into a tar archive; SHA256SUMS lets restore.sh check both. A folder is
# named only once it is complete, so a failed run never counts as a backup.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database, postgres://user:password@host:port/name}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the folder of uploaded files}"
: "${BACKUP_DIR:?set BACKUP_DIR to the folder that keeps the backups}"
KEEP="${KEEP:-14}"
case "$KEEP" in '' | *[!0-9]* | 0) echo "KEEP must be a whole number of backups, at least 1" >&2; exit 2 ;; esac
[ -d "$MEDIA_ROOT" ] || { echo "MEDIA_ROOT $MEDIA_ROOT is not a folder" >&2; exit 2; }

mkdir -p "$BACKUP_DIR"
name="$(date +%Y-%m-%d_%H%M%S)"
n=1
while [ -e "$BACKUP_DIR/$name" ] || [ -e "$BACKUP_DIR/$name.partial" ]; do
  n=$((n + 1))
  name="$(date +%Y-%m-%d_%H%M%S)-$n"
done
partial="$BACKUP_DIR/$name.partial"
trap 'rm -rf -- "$partial"' EXIT
mkdir "$partial"

pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" "$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .
(cd "$partial" && sha256sum database.dump media.tar.gz > SHA256SUMS)
mv "$partial" "$BACKUP_DIR/$name"
trap - EXIT
echo "$BACKUP_DIR/$name"

# Keep the newest KEEP complete backups (their names sort by date and time).
mapfile -t backups < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d \
  -name '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]_[0-9][0-9][0-9][0-9][0-9][0-9]*' ! -name '*.partial' | sort)
excess=$((${#backups[@]} - KEEP))
for ((i = 0; i < excess; i++)); do
  rm -rf -- "${backups[i]}"
done

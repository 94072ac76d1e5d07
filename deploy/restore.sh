#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and an empty media folder.
#
#   createdb -O keji keji_restored
#   DATABASE_URL=postgres://keji:secret@127.0.0.1:5432/keji_restored MEDIA_ROOT=/srv/keji/media-restored \
#   deploy/restore.sh /srv/keji/backups/2026-12-01_020000
#
# It checks the backup's SHA256SUMS first, refuses a database that already has tables or a media
# folder that already has files (restore beside the live data, then switch), and restores the
# database in a single transaction: it is all there, or nothing is.
set -euo pipefail

backup="${1:?usage: restore.sh BACKUP_FOLDER (a folder made by backup.sh)}"
: "${DATABASE_URL:?set DATABASE_URL to the empty PostgreSQL database to restore into}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the empty folder for the uploaded files}"

for part in database.dump media.tar.gz SHA256SUMS; do
  [ -f "$backup/$part" ] || { echo "$backup has no $part: not a backup made by backup.sh" >&2; exit 2; }
done
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "$backup is damaged (SHA256SUMS)" >&2; exit 2; }

tables="$(psql "$DATABASE_URL" -Atc "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$tables" != 0 ]; then
  echo "The database already has $tables tables: restore only into an empty database (createdb a new one)." >&2
  exit 1
fi
mkdir -p "$MEDIA_ROOT"
if [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "$MEDIA_ROOT is not empty: restore the files into an empty folder." >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" \
  "$backup/database.dump"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "Restored $backup"

#!/bin/sh
# 每日备份(laowu-backup.service 或 cron 调用):在给定目录里每次生成一个备份文件,只保留最近 14 天。
# 用法: deploy/backup.sh <备份目录>。在网站目录下以 root 运行;备份本身以 APP_USER(默认 laowu)身份运行。
# 使用内置数据库时,备份期间先停网站(同一时间只能有一个进程打开它),结束后一定重新启动。
set -eu
DEST=${1:?用法: deploy/backup.sh <备份目录>}
APP_USER=${APP_USER:-laowu}
SERVICE=${SERVICE:-laowu.service}
KEEP_DAYS=${KEEP_DAYS:-14}
# The app's backup command: the built one by default.
BACKUP_COMMAND=${BACKUP_COMMAND:-/usr/bin/node dist/cli/backup.js}

mkdir -p "$DEST"
[ "$(id -u)" = 0 ] && id "$APP_USER" >/dev/null 2>&1 && chown "$APP_USER" "$DEST"

as_app() {
  if [ "$(id -u)" = 0 ] && id "$APP_USER" >/dev/null 2>&1; then runuser -u "$APP_USER" -- "$@"; else "$@"; fi
}

database_url=${DATABASE_URL:-}
[ -z "$database_url" ] && [ -f .env ] && database_url=$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1)
stopped=""
if [ -z "$database_url" ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$SERVICE" 2>/dev/null; then
  systemctl stop "$SERVICE"
  stopped=1
  trap 'systemctl start "$SERVICE"' EXIT
fi

file="$DEST/laowu-$(date +%Y-%m-%d-%H%M).tar.gz"
# shellcheck disable=SC2086 # BACKUP_COMMAND is a command with its arguments
as_app $BACKUP_COMMAND "$file"
find "$DEST" -maxdepth 1 -name 'laowu-*.tar.gz' -mtime +"$KEEP_DAYS" -delete
echo "备份已保存: $file${stopped:+(备份期间网站暂停了一会儿)}"

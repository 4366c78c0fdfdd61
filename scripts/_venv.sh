# Sourced by scripts/run and scripts/test: a project-local virtualenv, (re)installed when requirements change.
ensure_venv() {
  local requirements=$1
  local python=${PYTHON:-python3}
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "npc-tracker needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local stamp=".venv/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}

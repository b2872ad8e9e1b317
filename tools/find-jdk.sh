# Sourced by clatterw and .ci/run: finds a JDK 25 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is 25 or newer, then `java` on PATH, then the JDKs under /usr/lib/jvm,
# /opt and ~/.sdkman, newest first.
jdk_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
find_jdk25() {
  local c v candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/*jdk* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  local best="" bestv=0 tried=""
  for c in "${candidates[@]}"; do
    v="$(jdk_major "$c")"
    tried+="  $c: ${v:-not a JDK}"$'\n'
    if [ -n "$v" ] && [ "$v" -ge 25 ] && { [ -z "$best" ] || [ "$c" = "${JAVA_HOME:-}" ]; }; then
      best="$c"; bestv="$v"
      [ "$c" = "${JAVA_HOME:-}" ] && break
    fi
  done
  if [ -z "$best" ]; then
    echo "clatter: no JDK 25 or newer found. Looked at:" >&2
    printf '%s' "$tried" >&2
    echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

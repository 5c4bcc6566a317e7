{{/*
The bundled PostgreSQL. Its Service and Secret are named <release>-postgresql (tc.names.fullname
of a chart called postgresql), which is how the API charts find them: tc.database.bundledName.
*/}}
{{- define "tcpg.secretName" -}}
{{- .Values.auth.existingSecret | default (include "tc.names.fullname" .) -}}
{{- end -}}

{{/* The Secret key holding an API's password: <api>-password (the API charts read the same key). */}}
{{- define "tcpg.passwordKey" -}}
{{- printf "%s-password" . -}}
{{- end -}}

{{/* Every key the Secret holds, as a JSON list: the superuser's, then one per database. */}}
{{- define "tcpg.secretKeys" -}}
{{- $keys := list "postgres-password" -}}
{{- range $api := keys .Values.databases | sortAlpha -}}
{{- $keys = append $keys (include "tcpg.passwordKey" $api) -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{- define "tcpg.dataDir" -}}/var/lib/postgresql/data{{- end -}}
{{- define "tcpg.pgdata" -}}/var/lib/postgresql/data/pgdata{{- end -}}
{{- define "tcpg.socketDir" -}}/var/run/postgresql{{- end -}}
{{- define "tcpg.secretDir" -}}/var/run/secrets/postgresql{{- end -}}
{{- define "tcpg.configDir" -}}/etc/postgresql{{- end -}}

{{/* Server settings as `-c name=value` arguments, the same for the bootstrap and the server. */}}
{{- define "tcpg.settings" -}}
{{- $s := dict "unix_socket_directories" (include "tcpg.socketDir" .) "hba_file" (printf "%s/pg_hba.conf" (include "tcpg.configDir" .)) "max_connections" (toString .Values.maxConnections) -}}
{{- range $k, $v := .Values.parameters -}}{{- $_ := set $s $k (toString $v) -}}{{- end -}}
{{- $args := list -}}
{{- range $k := keys $s | sortAlpha -}}{{- $args = concat $args (list "-c" (printf "%s=%s" $k (index $s $k))) -}}{{- end -}}
{{- toJson $args -}}
{{- end -}}

{{- define "tcpg.env" -}}
- name: PGDATA
  value: {{ include "tcpg.pgdata" . }}
- name: PG_SOCKET_DIR
  value: {{ include "tcpg.socketDir" . }}
- name: PG_CONFIG_DIR
  value: {{ include "tcpg.configDir" . }}
- name: PG_SECRET_DIR
  value: {{ include "tcpg.secretDir" . }}
{{- end -}}

{{/* The data volume (the data directory is a subdirectory: a new volume may hold lost+found). */}}
{{- define "tcpg.volumeMounts" -}}
- name: data
  mountPath: {{ include "tcpg.dataDir" . }}
- name: config
  mountPath: {{ include "tcpg.configDir" . }}
  readOnly: true
- name: sockets
  mountPath: {{ include "tcpg.socketDir" . }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* The ConfigMap's data; also hashed into the pod template so a change restarts the server. */}}
{{- define "tcpg.configData" -}}
pg_hba.conf: |
  # Inside the pod (socket): trust; over the network: passwords (SCRAM) only.
  local all all trust
  host  all all 0.0.0.0/0 scram-sha-256
  host  all all ::/0      scram-sha-256
init.sh: |
  {{- .Files.Get "files/init.sh" | nindent 2 }}
bootstrap.sql: |
  -- Idempotent: run by init.sh on every start. Passwords are psql variables from the Secret.
  \set ON_ERROR_STOP on
  ALTER ROLE postgres WITH PASSWORD :'postgres_password';
  {{- range $api := keys .Values.databases | sortAlpha }}
  {{- $db := index $.Values.databases $api }}
  {{- $pw := printf "%s_password" ($api | replace "-" "_") }}
  -- {{ $api }}: database {{ $db.name }}, owned by {{ $db.user }}, which may use no other database.
  SELECT 'CREATE ROLE {{ $db.user }} LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{ $db.user }}') \gexec
  ALTER ROLE {{ $db.user }} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'{{ $pw }}';
  SELECT 'CREATE DATABASE {{ $db.name }} OWNER {{ $db.user }}' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{{ $db.name }}') \gexec
  ALTER DATABASE {{ $db.name }} OWNER TO {{ $db.user }};
  REVOKE ALL ON DATABASE {{ $db.name }} FROM PUBLIC;
  GRANT ALL ON DATABASE {{ $db.name }} TO {{ $db.user }};
  {{- end }}
{{- end -}}

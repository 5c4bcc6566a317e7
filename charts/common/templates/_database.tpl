{{/*
Where an API keeps its data: one switch, database.mode, decides the driver and the server the
service's config.database points at, where its password comes from, and when migrations run.
  embedded        PGlite inside the process (development only; one replica, no HPA: each process
                  has its own database, so a second replica would have another catalog)
  bundled         the umbrella's postgresql subchart: <release>-postgresql, Secret key <api>-password
  external        a server outside the release: database.external (host, port, sslMode; password
                  from database.external.existingSecret, or else the chart's secrets)
  cloudnative-pg  a CloudNativePG Cluster rendered by this chart (the operator must be installed);
                  the API reaches its -rw Service, or its PgBouncer Pooler
*/}}

{{- define "tc.database.mode" -}}
{{- ((.Values.database).mode) | default "embedded" -}}
{{- end -}}

{{/* "true" when the server is created by this release (it does not exist before the install). */}}
{{- define "tc.database.inRelease" -}}
{{- if has (include "tc.database.mode" .) (list "bundled" "cloudnative-pg") -}}true{{- end -}}
{{- end -}}

{{/* The bundled server's name (Service and Secret): tc.names.fullname of the postgresql chart. */}}
{{- define "tc.database.bundledName" -}}
{{- include "tc.names.fullname" (dict "Values" dict "Chart" (dict "Name" "postgresql") "Release" .Release) -}}
{{- end -}}

{{/* The CloudNativePG Cluster's name: short enough for "-rw" and "-pooler-rw" to fit 63 characters. */}}
{{- define "tc.database.clusterName" -}}
{{- printf "%s-db" (include "tc.names.fullname" . | trunc 46 | trimSuffix "-") -}}
{{- end -}}

{{- define "tc.database.poolerName" -}}
{{- printf "%s-pooler" (include "tc.database.clusterName" .) -}}
{{- end -}}

{{/* The Secret holding the Cluster owner's credentials (kubernetes.io/basic-auth). */}}
{{- define "tc.database.ownerSecretName" -}}
{{- .Values.database.cloudnativePg.ownerSecret | default (printf "%s-owner" (include "tc.database.clusterName" .)) -}}
{{- end -}}

{{/*
The keys of config.database that database.mode sets (as a JSON object): the chart writes them
into config.json, and a value for one of them under config.database is refused (tc.validate).
*/}}
{{- define "tc.database.connection" -}}
{{- $d := .Values.database | default dict -}}
{{- $mode := include "tc.database.mode" . -}}
{{- if eq $mode "embedded" -}}
{{- toJson (dict "driver" "pglite") -}}
{{- else -}}
{{- $c := dict "driver" "postgres" "name" $d.name "user" $d.user "migrateOnStart" false "port" 5432 -}}
{{- if eq $mode "bundled" -}}
{{- $_ := set $c "host" (include "tc.database.bundledName" .) -}}
{{- $_ := set $c "sslMode" "disable" -}}
{{- else if eq $mode "external" -}}
{{- $_ := set $c "host" $d.external.host -}}
{{- $_ := set $c "port" (int $d.external.port) -}}
{{- $_ := set $c "sslMode" $d.external.sslMode -}}
{{- else -}}
{{- $cnpg := $d.cloudnativePg -}}
{{- $_ := set $c "host" (ternary (printf "%s-rw" (include "tc.database.clusterName" .)) (include "tc.database.poolerName" .) (not $cnpg.pooler.enabled)) -}}
{{- $_ := set $c "sslMode" "require" -}}
{{- end -}}
{{- toJson $c -}}
{{- end -}}
{{- end -}}

{{/* Keys database.mode owns under config.database. */}}
{{- define "tc.database.ownedKeys" -}}
{{- toJson (list "driver" "host" "port" "name" "user" "sslMode" "migrateOnStart") -}}
{{- end -}}

{{/*
Where the database password comes from when not from the chart's own secrets, as a JSON object
{"secret": name, "key": key}, or {} (embedded, or external without its own existingSecret).
It is mounted as the file database-password beside the chart's own secrets.
*/}}
{{- define "tc.database.passwordSource" -}}
{{- $mode := include "tc.database.mode" . -}}
{{- $d := .Values.database | default dict -}}
{{- if eq $mode "bundled" -}}
{{- toJson (dict "secret" (include "tc.database.bundledName" .) "key" (printf "%s-password" .Chart.Name)) -}}
{{- else if and (eq $mode "external") $d.external.existingSecret -}}
{{- toJson (dict "secret" $d.external.existingSecret "key" $d.external.passwordKey) -}}
{{- else if eq $mode "cloudnative-pg" -}}
{{- toJson (dict "secret" (include "tc.database.ownerSecretName" .) "key" "password") -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{/* Most connections the API's pods open at once: pool size x maximum replicas (HPA max or replicaCount). */}}
{{- define "tc.database.connections" -}}
{{- $pool := int ((((.Values.config).database).poolMax) | default 10) -}}
{{- $replicas := ternary (int .Values.autoscaling.maxReplicas) (int .Values.replicaCount) (and .Values.autoscaling .Values.autoscaling.enabled) -}}
{{- toJson (dict "pool" $pool "replicas" $replicas "total" (mul $pool $replicas)) -}}
{{- end -}}

{{/*
database.mode cloudnative-pg: a CloudNativePG Cluster for this API alone (CloudNativePG's own
advice: one database per Cluster), bootstrapped with initdb: the database and its owner, whose
credentials are a basic-auth Secret (database.cloudnativePg.ownerSecret, or one the chart makes
once and keeps across upgrades with lookup). Optionally a PgBouncer Pooler in front of the
primary. The operator (its CRDs and controller) is its own release: see charts/README.md.
*/}}
{{- define "tc.database" -}}
{{- if eq (include "tc.database.mode" .) "cloudnative-pg" -}}
{{- $c := .Values.database.cloudnativePg -}}
{{- $cluster := include "tc.database.clusterName" . -}}
{{- if not $c.ownerSecret }}
{{- $name := include "tc.database.ownerSecretName" . }}
{{- $current := (lookup "v1" "Secret" .Release.Namespace $name).data | default dict }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "database") | nindent 4 }}
type: kubernetes.io/basic-auth
data:
  username: {{ .Values.database.user | b64enc | quote }}
  password: {{ $current.password | default (randAlphaNum 32 | b64enc) | quote }}
---
{{- end }}
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: {{ $cluster }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "database") | nindent 4 }}
spec:
  instances: {{ $c.instances }}
  {{- with $c.imageName }}
  imageName: {{ . | quote }}
  {{- end }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . | quote }}
    {{- end }}
  {{- end }}
  primaryUpdateStrategy: unsupervised
  postgresql:
    parameters:
      {{- range $k, $v := $c.parameters }}
      {{ $k }}: {{ $v | toString | quote }}
      {{- end }}
  bootstrap:
    initdb:
      database: {{ .Values.database.name }}
      owner: {{ .Values.database.user }}
      secret:
        name: {{ include "tc.database.ownerSecretName" . }}
  storage:
    size: {{ $c.storage.size }}
    {{- with $c.storage.storageClass }}
    storageClass: {{ . | quote }}
    {{- end }}
  {{- with $c.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- if $c.pooler.enabled }}
---
apiVersion: postgresql.cnpg.io/v1
kind: Pooler
metadata:
  name: {{ include "tc.database.poolerName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "database") | nindent 4 }}
spec:
  cluster:
    name: {{ $cluster }}
  instances: {{ $c.pooler.instances }}
  type: rw
  pgbouncer:
    poolMode: {{ $c.pooler.poolMode }}
    parameters:
      max_client_conn: {{ $c.pooler.maxClientConnections | toString | quote }}
      default_pool_size: {{ $c.pooler.defaultPoolSize | toString | quote }}
{{- end }}
{{- end -}}
{{- end -}}

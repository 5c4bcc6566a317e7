{{/*
Rules a JSON schema cannot express (they relate two values, or depend on global.environment).
They run inside plain `helm template|install`, so a bad release fails before anything is applied.
Each message names the value to change. Included once per chart, from the template that always
renders: tc.deployment (the service charts) and the postgresql chart's StatefulSet.
*/}}
{{- define "tc.validate" -}}
{{- $env := ((.Values.global).environment) | default "development" -}}
{{- $chart := .Chart.Name -}}
{{- if eq $env "production" -}}
  {{- /* A digest pins the image by itself (the kubelet pulls by it; the tag is for humans). */ -}}
  {{- if not (or .Values.image.tag .Values.image.digest) -}}
    {{- fail (printf "%s.image.tag: production needs a pinned image: a tag (not the chart's appVersion) or image.digest (global.environment is production)" $chart) -}}
  {{- end -}}
  {{- if eq (lower (toString .Values.image.tag)) "latest" -}}
    {{- fail (printf "%s.image.tag: \"latest\" is not allowed in production; pin a version" $chart) -}}
  {{- end -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: production takes secrets only through secrets.existingSecret, never as a value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- if and .Values.secrets .Values.secrets.existingSecret -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: remove it; secrets.existingSecret is set, so the chart creates no Secret and would ignore this value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- $config := .Values.config | default dict -}}
{{- $global := .Values.global | default dict -}}
{{- range $key := include "tc.config.fromGlobal" . | fromJsonArray -}}
  {{- if and (hasKey $config $key) (ne (toString (index $config $key)) (toString (index $global $key))) -}}
    {{- fail (printf "%s.config.%s (%v) differs from global.%s (%v): remove it; the chart sets it from global.%s" $chart $key (index $config $key) $key (index $global $key) $key) -}}
  {{- end -}}
{{- end -}}
{{- $shutdown := int (((.Values.config).server).shutdownTimeoutSeconds | default 20) -}}
{{- if le (int .Values.terminationGracePeriodSeconds) $shutdown -}}
  {{- fail (printf "%s.terminationGracePeriodSeconds (%d) must be greater than config.server.shutdownTimeoutSeconds (%d), or Kubernetes kills the pod before in-flight requests finish" $chart (int .Values.terminationGracePeriodSeconds) $shutdown) -}}
{{- end -}}
{{- if .Values.pdb -}}
  {{- if and (not (kindIs "invalid" .Values.pdb.minAvailable)) (not (kindIs "invalid" .Values.pdb.maxUnavailable)) -}}
    {{- fail (printf "%s.pdb: set minAvailable or maxUnavailable, not both (set the other to null)" $chart) -}}
  {{- end -}}
{{- end -}}
{{- if and .Values.autoscaling .Values.autoscaling.enabled -}}
  {{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
    {{- fail (printf "%s.autoscaling.minReplicas (%d) must be ≤ maxReplicas (%d)" $chart (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
  {{- end -}}
{{- end -}}
{{- if .Values.database -}}
  {{- include "tc.validate.database" . -}}
{{- end -}}
{{- end -}}

{{/*
An API's database: database.mode owns the connection keys of config.database; the password
comes from one place; and the server a chart renders itself (CloudNativePG) or an external one
gets no more connections than it allows (the umbrella adds the sums over both APIs:
techcommerce.validate.databases). The embedded driver's limits (one replica, no HPA,
development only) are in the values schema.
*/}}
{{- define "tc.validate.database" -}}
{{- $chart := .Chart.Name -}}
{{- $mode := include "tc.database.mode" . -}}
{{- $db := ((.Values.config).database) | default dict -}}
{{- range $key := include "tc.database.ownedKeys" . | fromJsonArray -}}
  {{- if hasKey $db $key -}}
    {{- fail (printf "%s.config.database.%s: remove it; database.mode (%s) sets it" $chart $key $mode) -}}
  {{- end -}}
{{- end -}}
{{- $source := include "tc.database.passwordSource" . | fromJson -}}
{{- if and $source .Values.secrets .Values.secrets.databasePassword -}}
  {{- fail (printf "%s.secrets.databasePassword: remove it; with database.mode %s the password comes from Secret %s (key %s)" $chart $mode $source.secret $source.key) -}}
{{- end -}}
{{- if eq $mode "external" -}}
  {{- $x := .Values.database.external -}}
  {{- include "tc.validate.connectionBudget" (dict "server" (printf "the external server %s:%v" $x.host $x.port) "limit" (int $x.maxConnections) "limitKey" (printf "%s.database.external.maxConnections" $chart) "reserve" (int $x.reservedConnections) "apis" (list .)) -}}
{{- else if eq $mode "cloudnative-pg" -}}
  {{- $c := .Values.database.cloudnativePg -}}
  {{- $limit := int (index $c.parameters "max_connections" | default "100") -}}
  {{- $budget := sub $limit (int $c.reservedConnections) -}}
  {{- if $c.pooler.enabled -}}
    {{- include "tc.validate.connectionBudget" (dict "server" (printf "the PgBouncer Pooler %s" (include "tc.database.poolerName" .)) "limit" (mul (int $c.pooler.maxClientConnections) (int $c.pooler.instances)) "limitKey" (printf "%s.database.cloudnativePg.pooler.maxClientConnections (× %d instances)" $chart (int $c.pooler.instances)) "reserve" 0 "apis" (list .)) -}}
    {{- $server := mul (int $c.pooler.defaultPoolSize) (int $c.pooler.instances) -}}
    {{- if gt $server $budget -}}
      {{- fail (printf "database connections: the Pooler %s opens %d server connections (pooler.defaultPoolSize %d × %d instances) to the CloudNativePG Cluster %s, which takes %d (%s.database.cloudnativePg.parameters.max_connections %d - %d reserved): lower pooler.defaultPoolSize or pooler.instances, or raise max_connections" (include "tc.database.poolerName" .) $server (int $c.pooler.defaultPoolSize) (int $c.pooler.instances) (include "tc.database.clusterName" .) $budget $chart $limit (int $c.reservedConnections)) -}}
    {{- end -}}
  {{- else -}}
    {{- include "tc.validate.connectionBudget" (dict "server" (printf "the CloudNativePG Cluster %s" (include "tc.database.clusterName" .)) "limit" $limit "limitKey" (printf "%s.database.cloudnativePg.parameters.max_connections" $chart) "reserve" (int $c.reservedConnections) "apis" (list .)) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

{{/*
Fails when the APIs sharing one server could open more connections than it takes: the sum of
pool size x maximum replicas must be ≤ limit - reserve. Call with a dict: server (words for the
message), limit, limitKey (the value that sets it), reserve, apis (chart contexts).
*/}}
{{- define "tc.validate.connectionBudget" -}}
{{- $total := 0 -}}
{{- $parts := list -}}
{{- range $api := .apis -}}
  {{- $n := include "tc.database.connections" $api | fromJson -}}
  {{- $total = add $total (int $n.total) -}}
  {{- $parts = append $parts (printf "%s %d (config.database.poolMax %d × %d replicas)" $api.Chart.Name (int $n.total) (int $n.pool) (int $n.replicas)) -}}
{{- end -}}
{{- $budget := sub (int .limit) (int .reserve) -}}
{{- if gt (int $total) (int $budget) -}}
  {{- fail (printf "database connections: %s can open %d connections to %s, which takes %d (%s %d - %d reserved): lower config.database.poolMax or the maximum replicas, or raise %s" (join " + " $parts) (int $total) .server (int $budget) .limitKey (int .limit) (int .reserve) .limitKey) -}}
{{- end -}}
{{- end -}}

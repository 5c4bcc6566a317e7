{{/*
The service's runtime config (the chart's `config` value) as the JSON file the service reads from
CONFIG_FILE, with config.database's connection keys set from database.mode (tc.database.connection).
Strings may use Release fields ("http://{{ .Release.Name }}-product-api:5000") so an
umbrella can point services at each other whatever the release is called; the result is rendered
with tpl. Keep template actions free of double quotes: the text is JSON-escaped before tpl.
*/}}
{{- define "tc.config.json" -}}
{{- $config := deepCopy (.Values.config | default dict) -}}
{{- $server := $config.server | default dict -}}
{{- $_ := set $server "managementPort" (int (include "tc.managementPort" .)) -}}
{{- $_ := set $config "server" $server -}}
{{- $global := .Values.global | default dict -}}
{{- range $key := include "tc.config.fromGlobal" . | fromJsonArray -}}
{{- if hasKey $global $key -}}{{- $_ := set $config $key (index $global $key) -}}{{- end -}}
{{- end -}}
{{- if .Values.database -}}
{{- $_ := set $config "database" (merge (include "tc.database.connection" . | fromJson) ($config.database | default dict)) -}}
{{- end -}}
{{- tpl (toPrettyJson $config) . -}}
{{- end -}}

{{/*
Config keys a service takes from `global` rather than from its `config` value, so one value
cannot disagree with another: a chart lists them (comma-separated) in its Chart.yaml annotation
techcommerce.example/config-from-global. The frontend lists environment: its config.environment
is global.environment. As a JSON list.
*/}}
{{- define "tc.config.fromGlobal" -}}
{{- $listed := index (.Chart.Annotations | default dict) "techcommerce.example/config-from-global" | default "" -}}
{{- $keys := list -}}
{{- range $key := splitList "," $listed -}}
{{- if trim $key -}}{{- $keys = append $keys (trim $key) -}}{{- end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{- define "tc.config.mountDir" -}}/etc/techcommerce{{- end -}}
{{- define "tc.config.file" -}}/etc/techcommerce/config.json{{- end -}}

{{/* A ConfigMap holding config.json. Call with (list $ name extraAnnotations). */}}
{{- define "tc.config.configMap" -}}
{{- $ctx := index . 0 -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ index . 1 }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "tc.labels.standard" $ctx | nindent 4 }}
  {{- with index . 2 }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
data:
  config.json: |
    {{- include "tc.config.json" $ctx | nindent 4 }}
{{- end -}}

{{- define "tc.configmap" -}}
{{ include "tc.config.configMap" (list . (include "tc.names.fullname" .) dict) }}
{{- end -}}

{{/*
The port of /healthz, /readyz and /metrics (the runtime's server.managementPort): probes and
Prometheus use it, the Ingress never routes it, and NetworkPolicies admit only Prometheus to it.
config.server.managementPort when set, otherwise this default: the one place it is written.
*/}}
{{- define "tc.managementPort" -}}
{{- ((.Values.config).server).managementPort | default 9090 -}}
{{- end -}}

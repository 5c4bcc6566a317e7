{{/*
The service's runtime config (the chart's `config` value) as the JSON file the service reads from
CONFIG_FILE. Strings may use Release fields ("http://{{ .Release.Name }}-product-api:5000") so an
umbrella can point services at each other whatever the release is called; the result is rendered
with tpl. Keep template actions free of double quotes: the text is JSON-escaped before tpl.
*/}}
{{- define "tc.config.json" -}}
{{- tpl (toPrettyJson (.Values.config | default dict)) . -}}
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
{{- include "tc.validate" . -}}
{{ include "tc.config.configMap" (list . (include "tc.names.fullname" .) dict) }}
{{- end -}}

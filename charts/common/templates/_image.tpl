{{/*
Image reference: repository, a tag (the chart's appVersion when empty; never "latest" by default)
and an optional digest. With a digest the kubelet pulls by digest; the tag stays for humans.
*/}}
{{- define "tc.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* imagePullSecrets of a pod spec, or nothing. Callers indent it. */}}
{{- define "tc.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

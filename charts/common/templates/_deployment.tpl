{{/*
The service's Deployment. Pods roll when the config or the generated Secret changes (checksums).
*/}}
{{- define "tc.deployment" -}}
{{- include "tc.validate" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tc.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "server") | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "tc.labels.componentSelector" (list . "server") | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "tc.labels.component" (list . "server") | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "tc.config.json" . | sha256sum }}
        {{- if include "tc.secrets.generated" . }}
        checksum/secret: {{ include "tc.secrets.data" . | sha256sum }}
        {{- end }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "tc.pod.spec" (dict "ctx" . "component" "server" "command" (list "node" "dist/main.js") "configMap" (include "tc.names.fullname" .) "secret" (include "tc.secrets.name" .) "server" true) | nindent 6 }}
{{- end -}}

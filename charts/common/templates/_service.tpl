{{/* The Service in front of the server pods; its port defaults to the container port. */}}
{{- define "tc.service.port" -}}
{{- .Values.service.port | default .Values.config.server.port -}}
{{- end -}}

{{- define "tc.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "tc.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "server") | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "tc.labels.componentSelector" (list . "server") | nindent 4 }}
  ports:
    - name: http
      port: {{ include "tc.service.port" . }}
      targetPort: http
      protocol: TCP
    # /healthz, /readyz, /metrics: for Prometheus (ServiceMonitor) and the smoke test; no Ingress
    # routes it, and the NetworkPolicies admit only those.
    - name: management
      port: {{ include "tc.managementPort" . }}
      targetPort: management
      protocol: TCP
{{- end -}}

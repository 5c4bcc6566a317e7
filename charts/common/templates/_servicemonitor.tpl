{{/*
A ServiceMonitor for the service's /metrics (on the management port, see tc.managementPort), labelled so kube-prometheus-stack's Prometheus
selects it (global.monitoring.selectorLabels, by default release: kps). Relabelling adds
`app` (the service) and `part_of` to every series: the alert rules aggregate by them.
*/}}
{{- define "tc.servicemonitor" -}}
{{- if .Values.serviceMonitor.enabled -}}
{{- $sm := .Values.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "tc.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.standard" . | nindent 4 }}
    {{- with (((.Values.global).monitoring).selectorLabels) }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "tc.labels.componentSelector" (list . "server") | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  endpoints:
    - port: management
      path: /metrics
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
      relabelings:
        - sourceLabels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
          targetLabel: app
        - sourceLabels: [__meta_kubernetes_pod_label_app_kubernetes_io_part_of]
          targetLabel: part_of
{{- end -}}
{{- end -}}

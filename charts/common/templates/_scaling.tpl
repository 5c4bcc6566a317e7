{{/* Replicas the Deployment runs at least: HPA minimum, or the fixed count. */}}
{{- define "tc.replicas.min" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{- define "tc.hpa" -}}
{{- if .Values.autoscaling.enabled -}}
{{- $a := .Values.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "tc.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.standard" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tc.names.fullname" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
{{- end -}}
{{- end -}}

{{/*
A PodDisruptionBudget whenever more than one replica runs: with one replica a PDB would block
every node drain. unhealthyPodEvictionPolicy lets a drain evict pods that are not ready anyway.
*/}}
{{- define "tc.pdb" -}}
{{- if and .Values.pdb.enabled (gt (int (include "tc.replicas.min" .)) 1) -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "tc.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.standard" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .Values.pdb.minAvailable) }}
  minAvailable: {{ .Values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.pdb.maxUnavailable | default 1 }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "tc.labels.componentSelector" (list . "server") | nindent 6 }}
{{- end -}}
{{- end -}}

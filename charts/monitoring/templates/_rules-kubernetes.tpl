{{/*
Rules on the services' Kubernetes objects, from what kube-prometheus-stack collects:
kube-state-metrics (pods, HPAs) and the kubelet (volume stats). Scoped to the watched namespaces,
and for containers to the services' container names (each service chart names its container
after itself).
*/}}
{{- define "tcmon.rules.kubernetes" -}}
{{- $k8s := include "tcmon.k8s" . -}}
{{- $containers := printf "%s, container=~\"%s\"" $k8s (include "tcmon.services" .) -}}
{{- $r := .Values.alerts.podRestartLoop -}}
{{- $v := .Values.alerts.volumeUsage -}}
{{- $claims := printf "%s, persistentvolumeclaim=~\"%s\"" $k8s (tpl (join "|" $v.persistentVolumeClaims) .) -}}
{{- $h := .Values.alerts.hpaMaxedOut -}}
- name: techcommerce.kubernetes
  rules:
    - alert: TechCommercePodRestartLoop
      expr: |-
        max by (namespace, pod, container) (max_over_time(kube_pod_container_status_waiting_reason{ {{- $containers }}, reason="CrashLoopBackOff"}[5m])) >= 1
        or
        max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{ {{- $containers -}} }[{{ $r.window }}])) >= {{ $r.restarts }}
      for: {{ $r.for }}
      labels:
        severity: {{ $r.severity }}
      annotations:
        summary: {{ printf "Container %s of pod %s in %s is restarting in a loop" "{{ $labels.container }}" "{{ $labels.pod }}" "{{ $labels.namespace }}" | quote }}
        description: {{ printf "%s in pod %s has been in CrashLoopBackOff or restarted at least %v times in %s, for %s." "{{ $labels.container }}" "{{ $labels.pod }}" $r.restarts $r.window $r.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommercePodRestartLoop") }}
    - alert: TechCommerceVolumeUsageHigh
      expr: |-
        max by (namespace, persistentvolumeclaim) (
          kubelet_volume_stats_used_bytes{ {{- $claims -}} } / kubelet_volume_stats_capacity_bytes{ {{- $claims -}} }
        ) > {{ $v.threshold }}
      for: {{ $v.for }}
      labels:
        severity: {{ $v.severity }}
      annotations:
        summary: {{ printf "Volume %s in %s is more than %.4g%% full" "{{ $labels.persistentvolumeclaim }}" "{{ $labels.namespace }}" (mulf $v.threshold 100) | quote }}
        description: {{ printf "PersistentVolumeClaim %s is %s full (threshold %.4g%%, for %s)." "{{ $labels.persistentvolumeclaim }}" "{{ $value | humanizePercentage }}" (mulf $v.threshold 100) $v.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceVolumeUsageHigh") }}
    # An HPA whose min equals its max is always "at max": that is a fixed size, not a shortage.
    - alert: TechCommerceHPAMaxedOut
      expr: |-
        kube_horizontalpodautoscaler_status_current_replicas{ {{- $k8s -}} } >= kube_horizontalpodautoscaler_spec_max_replicas{ {{- $k8s -}} }
        and
        kube_horizontalpodautoscaler_spec_max_replicas{ {{- $k8s -}} } > kube_horizontalpodautoscaler_spec_min_replicas{ {{- $k8s -}} }
      for: {{ $h.for }}
      labels:
        severity: {{ $h.severity }}
      annotations:
        summary: {{ printf "HPA %s in %s has been at its maximum replicas for %s" "{{ $labels.horizontalpodautoscaler }}" "{{ $labels.namespace }}" $h.for | quote }}
        description: {{ printf "%s runs %s replicas, its maxReplicas, and still cannot scale further: latency and errors may follow." "{{ $labels.horizontalpodautoscaler }}" "{{ $value }}" | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceHPAMaxedOut") }}
{{- end -}}

{{/*
Helpers of the monitoring chart ("tcmon." so they never meet charts/common's "tc." names).
*/}}

{{/* The namespaces the rules watch, as a regex alternation: `namespaces`, else the release's. */}}
{{- define "tcmon.namespaces" -}}
{{- $ns := .Values.namespaces | default (list .Release.Namespace) -}}
{{- join "|" $ns -}}
{{- end -}}

{{/* The services watched, as a regex alternation (DNS labels: nothing to escape). */}}
{{- define "tcmon.services" -}}
{{- join "|" .Values.services -}}
{{- end -}}

{{/*
Label matchers of our services' own series: the ServiceMonitors add `app` and `part_of`, and
Prometheus the target's `namespace`.
*/}}
{{- define "tcmon.ours" -}}
part_of="techcommerce", namespace=~"{{ include "tcmon.namespaces" . }}", app=~"{{ include "tcmon.services" . }}"
{{- end -}}

{{/* Requests that are traffic: probes and scrapes would dilute ratios and latencies. */}}
{{- define "tcmon.traffic" -}}
{{ include "tcmon.ours" . }}, route!~"/healthz|/readyz|/metrics"
{{- end -}}

{{/* Kubernetes objects of ours (kube-state-metrics, kubelet): by namespace. */}}
{{- define "tcmon.k8s" -}}
namespace=~"{{ include "tcmon.namespaces" . }}"
{{- end -}}

{{/* runbook_url of an alert: (list $ "AlertName"). */}}
{{- define "tcmon.runbook" -}}
{{- $ctx := index . 0 -}}
{{- printf "%s/%s.md" (trimSuffix "/" $ctx.Values.runbooks.baseUrl) (index . 1) -}}
{{- end -}}

{{/*
The distinct SLO windows (long and short, page and ticket) in a stable order, space-separated:
each gets one recording rule per SLI.
*/}}
{{- define "tcmon.sloWindows" -}}
{{- $w := list -}}
{{- range concat .Values.slo.page.windows .Values.slo.ticket.windows -}}
{{- $w = append (append $w .short) .long -}}
{{- end -}}
{{- $w | uniq | join " " -}}
{{- end -}}

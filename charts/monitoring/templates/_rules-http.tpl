{{/*
RED rules of the three services, from the runtime's histogram
http_request_duration_seconds{method,route,status_class} (docs/metrics.md) with the `app`,
`part_of` and `namespace` labels the ServiceMonitors give every series. Recorded per
(namespace, app) over each alert's window; the alerts read the records.
*/}}
{{- define "tcmon.rules.http" -}}
{{- $e := .Values.alerts.errorRate -}}
{{- $l := .Values.alerts.highLatency -}}
{{- $traffic := include "tcmon.traffic" . -}}
{{- $ns := include "tcmon.namespaces" . -}}
- name: techcommerce.http
  # Records first, then the alerts that read them: rules of one group run in order, so an
  # alert always sees this evaluation's records.
  rules:
  {{- range $w := list $e.window $l.window | uniq }}
    - record: app:http_requests:rate{{ $w }}
      expr: sum by (namespace, app) (rate(http_request_duration_seconds_count{ {{- $traffic -}} }[{{ $w }}]))
  {{- end }}
    # "or 0 * all": a service without a single 5xx yet has no 5xx series; record 0, not nothing.
    - record: app:http_request_errors:ratio_rate{{ $e.window }}
      expr: |-
        (
          sum by (namespace, app) (rate(http_request_duration_seconds_count{ {{- $traffic }}, status_class="5xx"}[{{ $e.window }}]))
          or
          0 * sum by (namespace, app) (rate(http_request_duration_seconds_count{ {{- $traffic -}} }[{{ $e.window }}]))
        )
        /
        sum by (namespace, app) (rate(http_request_duration_seconds_count{ {{- $traffic -}} }[{{ $e.window }}]))
    - record: app:http_request_duration_seconds:quantile_rate{{ $l.window }}
      labels:
        quantile: {{ $l.quantile | quote }}
      expr: histogram_quantile({{ $l.quantile }}, sum by (namespace, app, le) (rate(http_request_duration_seconds_bucket{ {{- $traffic -}} }[{{ $l.window }}])))
    - alert: TechCommerceHighErrorRate
      expr: |-
        app:http_request_errors:ratio_rate{{ $e.window }}{namespace=~"{{ $ns }}"} > {{ $e.threshold }}
        and on (namespace, app)
        app:http_requests:rate{{ $e.window }}{namespace=~"{{ $ns }}"} > {{ $e.minRequestRate }}
      for: {{ $e.for }}
      labels:
        severity: {{ $e.severity }}
      annotations:
        summary: {{ printf "%s in %s answers more than %.4g%% of requests with 5xx" "{{ $labels.app }}" "{{ $labels.namespace }}" (mulf $e.threshold 100) | quote }}
        description: {{ printf "%s answered %s of its requests (probes left out) with 5xx over the last %s, above %.4g%% for %s." "{{ $labels.app }}" "{{ $value | humanizePercentage }}" $e.window (mulf $e.threshold 100) $e.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceHighErrorRate") }}
    - alert: TechCommerceHighLatency
      expr: |-
        app:http_request_duration_seconds:quantile_rate{{ $l.window }}{namespace=~"{{ $ns }}", quantile={{ $l.quantile | quote }}} > {{ $l.thresholdSeconds }}
        and on (namespace, app)
        app:http_requests:rate{{ $l.window }}{namespace=~"{{ $ns }}"} > {{ $l.minRequestRate }}
      for: {{ $l.for }}
      labels:
        severity: {{ $l.severity }}
      annotations:
        summary: {{ printf "%s in %s is slow: p%.4g request duration above %vs" "{{ $labels.app }}" "{{ $labels.namespace }}" (mulf $l.quantile 100) $l.thresholdSeconds | quote }}
        description: {{ printf "The %.4gth percentile of %s's request duration (probes left out) is %s over the last %s, above %vs for %s." (mulf $l.quantile 100) "{{ $labels.app }}" "{{ $value | humanizeDuration }}" $l.window $l.thresholdSeconds $l.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceHighLatency") }}
    - alert: TechCommerceTargetDown
      expr: up{ {{- include "tcmon.ours" . -}} } == 0
      for: {{ .Values.alerts.targetDown.for }}
      labels:
        severity: {{ .Values.alerts.targetDown.severity }}
      annotations:
        summary: {{ printf "Prometheus cannot scrape %s pod %s in %s" "{{ $labels.app }}" "{{ $labels.pod }}" "{{ $labels.namespace }}" | quote }}
        description: {{ printf "The /metrics endpoint %s (pod %s) has not answered a scrape for %s." "{{ $labels.instance }}" "{{ $labels.pod }}" .Values.alerts.targetDown.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceTargetDown") }}
    - alert: TechCommerceMetricsAbsent
      expr: absent(up{ {{- include "tcmon.ours" . -}} })
      for: {{ .Values.alerts.metricsAbsent.for }}
      labels:
        severity: {{ .Values.alerts.metricsAbsent.severity }}
      annotations:
        summary: {{ printf "Prometheus scrapes no TechCommerce service in %s" $ns | quote }}
        description: {{ printf "No target of %s in namespaces %s has been scraped for %s: the ServiceMonitors are not selected (their release label must match kube-prometheus-stack's serviceMonitorSelector) or the services are gone. Every other TechCommerce alert is blind meanwhile." (join ", " .Values.services) $ns .Values.alerts.metricsAbsent.for | quote }}
        runbook_url: {{ include "tcmon.runbook" (list . "TechCommerceMetricsAbsent") }}
{{- end -}}

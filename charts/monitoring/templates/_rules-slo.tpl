{{/*
SLOs of the product list and order creation, alerted on with multi-window, multi-burn-rate rules
(Google SRE workbook, ch. 5). Each SLI is recorded as an error ratio over every window the alerts
use, labelled {slo, sli}: availability errors are 5xx answers, latency errors are answers slower
than the objective's threshold (a histogram bucket bound). An alert pair fires while both its long
and its short window burn the budget faster than burnRate x (1 - objective).
*/}}
{{- define "tcmon.rules.slo" -}}
{{- if .Values.slo.enabled -}}
{{- $root := . -}}
{{- $ns := include "tcmon.namespaces" . -}}
{{- $windows := splitList " " (include "tcmon.sloWindows" .) -}}
- name: techcommerce.slo
  # Records first, then the alerts that read them: rules of one group run in order, so an
  # alert always sees this evaluation's records.
  rules:
  {{- range $o := .Values.slo.objectives }}
  {{- $sel := printf "part_of=\"techcommerce\", namespace=~\"%s\", app=\"%s\", method=\"%s\", route=\"%s\"" $ns $o.app $o.method $o.route }}
  {{- range $w := $windows }}
    - record: slo:sli_error:ratio_rate{{ $w }}
      labels:
        slo: {{ $o.name }}
        sli: availability
      expr: |-
        (
          sum by (namespace) (rate(http_request_duration_seconds_count{ {{- $sel }}, status_class="5xx"}[{{ $w }}]))
          or
          0 * sum by (namespace) (rate(http_request_duration_seconds_count{ {{- $sel -}} }[{{ $w }}]))
        )
        /
        sum by (namespace) (rate(http_request_duration_seconds_count{ {{- $sel -}} }[{{ $w }}]))
    - record: slo:sli_error:ratio_rate{{ $w }}
      labels:
        slo: {{ $o.name }}
        sli: latency
      expr: |-
        1 - (
          sum by (namespace) (rate(http_request_duration_seconds_bucket{ {{- $sel }}, le="{{ $o.latency.thresholdSeconds }}"}[{{ $w }}]))
          /
          sum by (namespace) (rate(http_request_duration_seconds_count{ {{- $sel -}} }[{{ $w }}]))
        )
  {{- end }}
  {{- end }}
  {{- range $o := .Values.slo.objectives }}
  {{- range $sli := list "availability" "latency" }}
  {{- $objective := ternary $o.availability $o.latency.target (eq $sli "availability") }}
  {{- $alert := ternary "TechCommerceSLOAvailabilityBurn" "TechCommerceSLOLatencyBurn" (eq $sli "availability") }}
  {{- $what := ternary "answered 5xx" (printf "slower than %vs" $o.latency.thresholdSeconds) (eq $sli "availability") }}
  {{- range $speed := list "page" "ticket" }}
  {{- $s := index $root.Values.slo $speed }}
    - alert: {{ $alert }}
      expr: |-
        {{- range $i, $p := $s.windows }}
        {{- if $i }}
        or
        {{- end }}
        (
          slo:sli_error:ratio_rate{{ $p.long }}{namespace=~"{{ $ns }}", slo="{{ $o.name }}", sli="{{ $sli }}"} > ({{ $p.burnRate }} * (1 - {{ $objective }}))
          and
          slo:sli_error:ratio_rate{{ $p.short }}{namespace=~"{{ $ns }}", slo="{{ $o.name }}", sli="{{ $sli }}"} > ({{ $p.burnRate }} * (1 - {{ $objective }}))
        )
        {{- end }}
      labels:
        severity: {{ $s.severity }}
        slo: {{ $o.name }}
        sli: {{ $sli }}
        burn: {{ $speed }}
      annotations:
        summary: {{ printf "%s %s SLO in %s is burning its error budget (%s)" $o.name $sli "{{ $labels.namespace }}" $speed | quote }}
        {{- $pairs := list }}
        {{- range $s.windows }}{{ $pairs = append $pairs (printf "%s/%s above %vx" .long .short .burnRate) }}{{ end }}
        description: {{ printf "%s %s on %s: %s of requests %s over the long window, against an objective of %.6g%% good. Burn-rate windows: %s the budget." $o.method $o.route $o.app "{{ $value | humanizePercentage }}" $what (mulf $objective 100) (join ", " $pairs) | quote }}
        runbook_url: {{ include "tcmon.runbook" (list $root $alert) }}
  {{- end }}
  {{- end }}
  {{- end }}
{{- end -}}
{{- end -}}

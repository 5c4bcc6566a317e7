{{/*
Rules a JSON schema cannot express (they relate two values, or depend on global.environment).
They run inside plain `helm template|install`, so a bad release fails before anything is applied.
Each message names the value to change.
*/}}
{{- define "tc.validate" -}}
{{- $env := ((.Values.global).environment) | default "development" -}}
{{- $chart := .Chart.Name -}}
{{- if eq $env "production" -}}
  {{- if not .Values.image.tag -}}
    {{- fail (printf "%s.image.tag: production needs a pinned image tag (global.environment is production)" $chart) -}}
  {{- end -}}
  {{- if eq (toString .Values.image.tag) "latest" -}}
    {{- fail (printf "%s.image.tag: \"latest\" is not allowed in production; pin a version" $chart) -}}
  {{- end -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: production takes secrets only through secrets.existingSecret, never as a value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- if and .Values.secrets .Values.secrets.existingSecret -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: remove it; secrets.existingSecret is set, so the chart creates no Secret and would ignore this value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- $config := .Values.config | default dict -}}
{{- $global := .Values.global | default dict -}}
{{- range $key := include "tc.config.fromGlobal" . | fromJsonArray -}}
  {{- if and (hasKey $config $key) (ne (toString (index $config $key)) (toString (index $global $key))) -}}
    {{- fail (printf "%s.config.%s (%v) differs from global.%s (%v): remove it; the chart sets it from global.%s" $chart $key (index $config $key) $key (index $global $key) $key) -}}
  {{- end -}}
{{- end -}}
{{- $shutdown := int (((.Values.config).server).shutdownTimeoutSeconds | default 20) -}}
{{- if le (int .Values.terminationGracePeriodSeconds) $shutdown -}}
  {{- fail (printf "%s.terminationGracePeriodSeconds (%d) must be greater than config.server.shutdownTimeoutSeconds (%d), or Kubernetes kills the pod before in-flight requests finish" $chart (int .Values.terminationGracePeriodSeconds) $shutdown) -}}
{{- end -}}
{{- if .Values.pdb -}}
  {{- if and (not (kindIs "invalid" .Values.pdb.minAvailable)) (not (kindIs "invalid" .Values.pdb.maxUnavailable)) -}}
    {{- fail (printf "%s.pdb: set minAvailable or maxUnavailable, not both (set the other to null)" $chart) -}}
  {{- end -}}
{{- end -}}
{{- if and .Values.autoscaling .Values.autoscaling.enabled -}}
  {{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
    {{- fail (printf "%s.autoscaling.minReplicas (%d) must be ≤ maxReplicas (%d)" $chart (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

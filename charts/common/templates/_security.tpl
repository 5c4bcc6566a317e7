{{/*
The restricted Pod Security Standard, not configurable away: only the numeric ids are values.
The root filesystem is read-only; /tmp is an emptyDir (see tc.pod.volumes).
*/}}
{{- define "tc.pod.securityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.podSecurityContext.runAsUser }}
  runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
  fsGroup: {{ .Values.podSecurityContext.fsGroup }}
  {{- /* A volume already owned by fsGroup is not walked again at each start: the walk makes every
  directory group-writable (PostgreSQL then refuses its data directory) and is slow on big volumes. */}}
  fsGroupChangePolicy: OnRootMismatch
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* The restricted container settings: the main container's, and the defaults of added ones. */}}
{{- define "tc.container.restricted" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tc.container.securityContext" -}}
securityContext:
  {{- include "tc.container.restricted" . | nindent 2 }}
{{- end -}}

{{/*
Containers the user adds (extraContainers, initContainers): the list rendered with tpl, each
container's securityContext merged over the restricted defaults (what the user sets wins), so a
sidecar keeps the pod within the restricted Pod Security Standard unless it says otherwise.
Call with (list ctx containers); renders a YAML list, or nothing for an empty one.
*/}}
{{- define "tc.container.extras" -}}
{{- $ctx := index . 0 -}}
{{- $containers := index . 1 -}}
{{- if $containers -}}
{{- $out := list -}}
{{- range $c := include "tc.tpl.list" (list $ctx $containers) | fromYamlArray -}}
{{- $restricted := include "tc.container.restricted" $ctx | fromYaml -}}
{{- $_ := set $c "securityContext" (mergeOverwrite $restricted ($c.securityContext | default dict)) -}}
{{- $out = append $out $c -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}
{{- end -}}

{{/* A list from values rendered with tpl (Release fields, other values); call with (list ctx list). */}}
{{- define "tc.tpl.list" -}}
{{- tpl (toYaml (index . 1)) (index . 0) -}}
{{- end -}}

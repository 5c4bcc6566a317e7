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
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{- define "tc.container.securityContext" -}}
securityContext:
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

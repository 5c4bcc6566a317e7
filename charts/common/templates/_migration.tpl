{{/*
Database migrations as a Helm pre-install/pre-upgrade hook Job running `node dist/migrate.js`
with the same config and secrets as the server.

Hooks run before the release's ordinary objects exist (on a first install there is no ConfigMap
or chart-made Secret yet, and on an upgrade they still hold the old values), so the Job reads
hook copies of its own: a ConfigMap (and, when the chart makes the Secret, a Secret) created as
hooks of a lower weight in the same phase. Delete policy: each copy is replaced before the next
run (before-hook-creation) and removed once every hook of the phase succeeded (hook-succeeded);
after a failure they stay, with the Job and its pod, for `kubectl logs` and are replaced on the
next attempt. The Job uses the namespace's default ServiceAccount (the chart's own one is not
created yet on a first install) and mounts no token.

Runs only on a PostgreSQL server (database.mode other than embedded): the embedded pglite
database lives inside each process, so a separate migration process would migrate nothing the
server sees.

When the release itself creates the server (database.mode bundled or cloudnative-pg), nothing
can reach it before the install: the Job runs post-install instead of pre-install (and each
server pod migrates in an init container first, see tc.pod.spec), and pre-upgrade as always, so
an upgrade's migration still runs before any pod rolls and a failed one fails the upgrade.
`helm rollback` runs neither: migrations stay expand-first, so the previous code keeps working.
*/}}
{{- define "tc.migration.enabled" -}}
{{- if and .Values.migration .Values.migration.enabled (ne (include "tc.database.mode" .) "embedded") -}}true{{- end -}}
{{- end -}}

{{- define "tc.migration.name" -}}
{{- include "tc.names.suffixed" (list . "migrate") -}}
{{- end -}}

{{- define "tc.migration.hookAnnotations" -}}
{{- $weight := index . 1 -}}
{{- $ctx := index . 0 -}}
helm.sh/hook: {{ ternary "post-install,pre-upgrade" "pre-install,pre-upgrade" (eq (include "tc.database.inRelease" $ctx) "true") }}
helm.sh/hook-weight: {{ $weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{- define "tc.migration" -}}
{{- if include "tc.migration.enabled" . -}}
{{- $annotations := include "tc.migration.hookAnnotations" (list . -10) | fromYaml -}}
{{ include "tc.config.configMap" (list . (include "tc.migration.name" .) $annotations) }}
{{- $secret := include "tc.secrets.name" . }}
{{- if include "tc.secrets.generated" . }}
{{- $secret = include "tc.migration.name" . }}
---
{{ include "tc.secrets.object" (list . $secret $annotations) }}
{{- end }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "tc.migration.name" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tc.labels.component" (list . "migration") | nindent 4 }}
  annotations:
    {{- include "tc.migration.hookAnnotations" (list . 0) | nindent 4 }}
spec:
  backoffLimit: {{ .Values.migration.backoffLimit }}
  activeDeadlineSeconds: {{ .Values.migration.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "tc.labels.component" (list . "migration") | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "tc.config.json" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "tc.pod.spec" (dict "ctx" . "component" "migration" "command" (list "node" "dist/migrate.js") "configMap" (include "tc.migration.name" .) "secret" $secret "server" false) | nindent 6 }}
{{- end -}}
{{- end -}}

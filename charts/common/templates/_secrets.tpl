{{/*
Secrets. A service chart declares the secrets its service reads as keys of `secrets` (camelCase,
e.g. databasePassword); everything else follows the contract:
  Secret key   database-password                          (kebab-case of the value key)
  file         /var/run/secrets/techcommerce/database-password
  env          DATABASE_PASSWORD_FILE=<that file>         (the service reads NAME or NAME_FILE)
Either the chart creates the Secret from the values (keys with a non-empty value), or
`secrets.existingSecret` names a Secret made outside Helm, which must hold every declared key;
set a key to null to declare that the existing Secret does not have it.
*/}}

{{- define "tc.secrets.mountDir" -}}/var/run/secrets/techcommerce{{- end -}}

{{/* Value keys holding plaintext (as a JSON list). */}}
{{- define "tc.secrets.plaintextKeys" -}}
{{- $keys := list -}}
{{- range $key, $value := (.Values.secrets | default dict) -}}
{{- if and (ne $key "existingSecret") $value -}}{{- $keys = append $keys $key -}}{{- end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/* Value keys the pod gets a NAME_FILE for (as a JSON list). */}}
{{- define "tc.secrets.mountedKeys" -}}
{{- $keys := list -}}
{{- $secrets := .Values.secrets | default dict -}}
{{- range $key, $value := $secrets -}}
{{- if ne $key "existingSecret" -}}
{{- if $secrets.existingSecret -}}
{{- if not (kindIs "invalid" $value) -}}{{- $keys = append $keys $key -}}{{- end -}}
{{- else if $value -}}{{- $keys = append $keys $key -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/*
Fails unless each listed key reaches the pod (a value here, or existingSecret without the key set
to null), for secrets the service will not start without outside development. Call with
(list $ "cookieSecret"); the render fails before anything is applied, naming the value to set.
*/}}
{{- define "tc.secrets.require" -}}
{{- $ctx := index . 0 -}}
{{- $env := (($ctx.Values.global).environment) | default "development" -}}
{{- if ne $env "development" -}}
{{- $mounted := include "tc.secrets.mountedKeys" $ctx | fromJsonArray -}}
{{- range $key := rest . -}}
{{- if not (has $key $mounted) -}}
{{- fail (printf "%s.secrets.%s: needed when global.environment is %s (the service does not start without it): set secrets.existingSecret to a Secret with key %s, or outside production secrets.%s" $ctx.Chart.Name $key $env (kebabcase $key) $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "true" when this chart renders its own Secret. */}}
{{- define "tc.secrets.generated" -}}
{{- if and .Values.secrets (not .Values.secrets.existingSecret) (include "tc.secrets.plaintextKeys" . | fromJsonArray) -}}true{{- end -}}
{{- end -}}

{{- define "tc.secrets.name" -}}
{{- if and .Values.secrets .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "tc.names.suffixed" (list . "secrets") -}}
{{- end -}}
{{- end -}}

{{/* Secret data of the generated Secret, base64 per key; also hashed into the pod annotation. */}}
{{- define "tc.secrets.data" -}}
{{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray }}
{{ kebabcase $key }}: {{ index $.Values.secrets $key | toString | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* A Secret with the generated data. Call with (list $ name extraAnnotations). */}}
{{- define "tc.secrets.object" -}}
{{- $ctx := index . 0 -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ index . 1 }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "tc.labels.standard" $ctx | nindent 4 }}
  {{- with index . 2 }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
type: Opaque
data:
  {{- include "tc.secrets.data" $ctx | trim | nindent 2 }}
{{- end -}}

{{- define "tc.secret" -}}
{{- include "tc.validate" . -}}
{{- if include "tc.secrets.generated" . -}}
{{ include "tc.secrets.object" (list . (include "tc.secrets.name" .) dict) }}
{{- end -}}
{{- end -}}

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

{{/*
Value keys mounted from the chart's own Secret (as a JSON list). databasePassword is left out
when database.mode names another Secret for it (tc.database.passwordSource).
*/}}
{{- define "tc.secrets.mountedKeys" -}}
{{- $keys := list -}}
{{- $secrets := .Values.secrets | default dict -}}
{{- $dbElsewhere := include "tc.database.passwordSource" . | fromJson -}}
{{- range $key, $value := $secrets -}}
{{- if and (ne $key "existingSecret") (not (and $dbElsewhere (eq $key "databasePassword"))) -}}
{{- if $secrets.existingSecret -}}
{{- if not (kindIs "invalid" $value) -}}{{- $keys = append $keys $key -}}{{- end -}}
{{- else if $value -}}{{- $keys = append $keys $key -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/*
Fails unless each key the chart lists in its annotation techcommerce.example/required-secrets
(comma-separated; the values CLI reads the same list) reaches the pod (a value here, or
existingSecret without the key set to null): secrets the service will not start without outside
development. Part of tc.validate.
*/}}
{{- define "tc.secrets.require" -}}
{{- $env := ((.Values.global).environment) | default "development" -}}
{{- if ne $env "development" -}}
{{- $mounted := include "tc.secrets.fileKeys" . | fromJsonArray -}}
{{- $listed := index (.Chart.Annotations | default dict) "techcommerce.example/required-secrets" | default "" -}}
{{- range $key := splitList "," $listed -}}
{{- $key = trim $key -}}
{{- if and $key (not (has $key $mounted)) -}}
{{- fail (printf "%s.secrets.%s: needed when global.environment is %s (the service does not start without it): set secrets.existingSecret to a Secret with key %s, or outside production secrets.%s" $.Chart.Name $key $env (kebabcase $key) $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Value keys the pod gets a NAME_FILE for (as a JSON list): its own, and the database's. */}}
{{- define "tc.secrets.fileKeys" -}}
{{- $keys := include "tc.secrets.mountedKeys" . | fromJsonArray -}}
{{- if include "tc.database.passwordSource" . | fromJson -}}{{- $keys = append $keys "databasePassword" -}}{{- end -}}
{{- toJson $keys -}}
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
{{- if include "tc.secrets.generated" . -}}
{{ include "tc.secrets.object" (list . (include "tc.secrets.name" .) dict) }}
{{- end -}}
{{- end -}}

{{/*
Service tokens: credentials one service presents to another (order-api -> product-api's
reservations), each a Secret with key `token` that the umbrella generates once per release
(charts/techcommerce/templates/service-tokens.yaml). A chart lists the ones its service reads
under `serviceTokens` (camelCase name -> Secret name, tpl'd; empty: not mounted, and the service
runs without it as on a laptop). Only the server pods of the charts that name a token get it:
  env   RESERVATIONS_TOKEN_FILE=/var/run/secrets/techcommerce-tokens/reservations-token
As a JSON object of the mounted ones: name -> Secret name.
*/}}
{{- define "tc.serviceTokens.mountDir" -}}/var/run/secrets/techcommerce-tokens{{- end -}}

{{- define "tc.serviceTokens.mounted" -}}
{{- $out := dict -}}
{{- range $key, $name := (.Values.serviceTokens | default dict) -}}
{{- if $name -}}{{- $_ := set $out $key (tpl $name $) -}}{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

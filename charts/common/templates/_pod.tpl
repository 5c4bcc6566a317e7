{{/*
The pod spec shared by the server Deployment and the migration Job, so both run the same image
with the same config file, secrets, security context and resources. Call with a dict:
  ctx        the chart context ($)
  component  "server" | "migration"
  command    the container command (the image's contract: node dist/main.js | dist/migrate.js)
  configMap  name of the ConfigMap holding config.json
  secret     name of the Secret (used only when the chart mounts secret keys)
  server     true for the serving pod: port, probes, scheduling spread, extraContainers and
             initContainers (a sidecar would keep the Job from finishing)
The extension values (extraEnv, extraEnvFrom, extraVolumeMounts, extraVolumes) apply to both.
*/}}
{{- define "tc.pod.spec" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $ownKeys := include "tc.secrets.mountedKeys" $ctx | fromJsonArray -}}
{{- $secretKeys := include "tc.secrets.fileKeys" $ctx | fromJsonArray -}}
{{- $dbSecret := include "tc.database.passwordSource" $ctx | fromJson -}}
{{- $tokens := include "tc.serviceTokens.mounted" $ctx | fromJson -}}
automountServiceAccountToken: false
{{- if .server }}
serviceAccountName: {{ include "tc.serviceAccount.name" $ctx }}
{{- end }}
{{- with include "tc.imagePullSecrets" $ctx }}
{{ . }}
{{- end }}
{{ include "tc.pod.securityContext" $ctx }}
{{- if .server }}
terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
{{- else }}
restartPolicy: Never
{{- end }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if and .server $v.topologySpread.enabled }}
topologySpreadConstraints:
  {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
  - topologyKey: {{ $key }}
    maxSkew: {{ $v.topologySpread.maxSkew }}
    whenUnsatisfiable: {{ $v.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "tc.labels.componentSelector" (list $ctx "server") | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
  {{- end }}
{{- end }}
{{- $migrate := and .server (include "tc.database.inRelease" $ctx) (include "tc.migration.enabled" $ctx) }}
{{- if or $migrate (and .server $v.initContainers) }}
initContainers:
  {{- if $migrate }}
  {{- /*
  The server is created by this release, so on a first install no hook can migrate before the
  pods start (see tc.migration): each pod migrates first (idempotent, under an advisory lock), so
  the service never starts on a database without its tables.
  */}}
  - name: migrate
    {{- include "tc.pod.container" (dict "ctx" $ctx "command" (list "node" "dist/migrate.js") "secretKeys" $secretKeys) | nindent 4 }}
  {{- end }}
  {{- with and .server $v.initContainers }}
  {{- include "tc.container.extras" (list $ctx .) | nindent 2 }}
  {{- end }}
{{- end }}
containers:
  - name: {{ $ctx.Chart.Name }}
    {{- include "tc.pod.container" (dict "ctx" $ctx "command" .command "secretKeys" $secretKeys "server" .server) | nindent 4 }}
{{- with and .server $v.extraContainers }}
  {{- include "tc.container.extras" (list $ctx .) | nindent 2 }}
{{- end }}
volumes:
  - name: config
    configMap:
      name: {{ .configMap }}
      items:
        - key: config.json
          path: config.json
  {{- if $secretKeys }}
  {{- /* One Secret: a secret volume; the chart's own and the database's: a projected volume. */}}
  {{- $sources := list }}
  {{- if $ownKeys }}
  {{- $items := list }}
  {{- range $key := $ownKeys }}{{ $items = append $items (dict "key" (kebabcase $key) "path" (kebabcase $key)) }}{{ end }}
  {{- $sources = append $sources (dict "name" .secret "items" $items) }}
  {{- end }}
  {{- if $dbSecret }}
  {{- $sources = append $sources (dict "name" $dbSecret.secret "items" (list (dict "key" $dbSecret.key "path" "database-password"))) }}
  {{- end }}
  - name: secrets
    {{- if eq (len $sources) 1 }}
    secret:
      secretName: {{ (first $sources).name }}
      defaultMode: 0440
      items:
        {{- toYaml (first $sources).items | nindent 8 }}
    {{- else }}
    projected:
      defaultMode: 0440
      sources:
        {{- range $sources }}
        - secret:
            name: {{ .name }}
            items:
              {{- toYaml .items | nindent 14 }}
        {{- end }}
    {{- end }}
  {{- end }}
  {{- if and .server $tokens }}
  - name: service-tokens
    projected:
      defaultMode: 0440
      sources:
        {{- range $key, $secret := $tokens }}
        - secret:
            name: {{ $secret }}
            items:
              - key: token
                path: {{ kebabcase $key }}
        {{- end }}
  {{- end }}
  - name: tmp
    emptyDir:
      sizeLimit: {{ $v.tmpSizeLimit }}
  {{- with $v.extraVolumes }}
  {{- include "tc.tpl.list" (list $ctx .) | nindent 2 }}
  {{- end }}
{{- end -}}

{{/* One container of the pod: the image, config, secrets and security context of the service. */}}
{{- define "tc.pod.container" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $secretKeys := .secretKeys -}}
{{- $tokens := (and .server (include "tc.serviceTokens.mounted" $ctx | fromJson)) | default dict -}}
image: {{ include "tc.image" $ctx | quote }}
imagePullPolicy: {{ $v.image.pullPolicy }}
command:
  {{- toYaml .command | nindent 2 }}
env:
  - name: CONFIG_FILE
    value: {{ include "tc.config.file" $ctx | quote }}
  {{- range $key := $secretKeys }}
  - name: {{ printf "%s_FILE" (snakecase $key | upper) }}
    value: {{ printf "%s/%s" (include "tc.secrets.mountDir" $ctx) (kebabcase $key) | quote }}
  {{- end }}
  {{- range $key, $secret := $tokens }}
  - name: {{ printf "%s_FILE" (snakecase $key | upper) }}
    value: {{ printf "%s/%s" (include "tc.serviceTokens.mountDir" $ctx) (kebabcase $key) | quote }}
  {{- end }}
  {{- with $v.extraEnv }}
  {{- include "tc.tpl.list" (list $ctx .) | nindent 2 }}
  {{- end }}
{{- with $v.extraEnvFrom }}
envFrom:
  {{- include "tc.tpl.list" (list $ctx .) | nindent 2 }}
{{- end }}
{{- if .server }}
ports:
  - name: http
    containerPort: {{ $v.config.server.port }}
    protocol: TCP
  - name: management
    containerPort: {{ include "tc.managementPort" $ctx }}
    protocol: TCP
{{ include "tc.probes" $ctx }}
{{- end }}
resources:
  {{- toYaml $v.resources | nindent 2 }}
{{ include "tc.container.securityContext" $ctx }}
volumeMounts:
  - name: config
    mountPath: {{ include "tc.config.mountDir" $ctx }}
    readOnly: true
  {{- if $secretKeys }}
  - name: secrets
    mountPath: {{ include "tc.secrets.mountDir" $ctx }}
    readOnly: true
  {{- end }}
  {{- if $tokens }}
  - name: service-tokens
    mountPath: {{ include "tc.serviceTokens.mountDir" $ctx }}
    readOnly: true
  {{- end }}
  - name: tmp
    mountPath: /tmp
  {{- with $v.extraVolumeMounts }}
  {{- include "tc.tpl.list" (list $ctx .) | nindent 2 }}
  {{- end }}
{{- end -}}

{{/*
Probes on the contract's endpoints, on the management port: /healthz (the process works), /readyz
(dependencies answer).
*/}}
{{- define "tc.probes" -}}
{{- $p := .Values.probes -}}
startupProbe:
  httpGet:
    path: /healthz
    port: management
  {{- toYaml $p.startup | nindent 2 }}
livenessProbe:
  httpGet:
    path: /healthz
    port: management
  {{- toYaml $p.liveness | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: management
  {{- toYaml $p.readiness | nindent 2 }}
{{- end -}}

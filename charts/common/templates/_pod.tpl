{{/*
The pod spec shared by the server Deployment and the migration Job, so both run the same image
with the same config file, secrets, security context and resources. Call with a dict:
  ctx        the chart context ($)
  component  "server" | "migration"
  command    the container command (the image's contract: node dist/main.js | dist/migrate.js)
  configMap  name of the ConfigMap holding config.json
  secret     name of the Secret (used only when the chart mounts secret keys)
  server     true for the serving pod: port, probes, scheduling spread
*/}}
{{- define "tc.pod.spec" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $secretKeys := include "tc.secrets.mountedKeys" $ctx | fromJsonArray -}}
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
containers:
  - name: {{ $ctx.Chart.Name }}
    image: {{ include "tc.image" $ctx | quote }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    command:
      {{- toYaml .command | nindent 6 }}
    env:
      - name: CONFIG_FILE
        value: {{ include "tc.config.file" $ctx | quote }}
      {{- range $key := $secretKeys }}
      - name: {{ printf "%s_FILE" (snakecase $key | upper) }}
        value: {{ printf "%s/%s" (include "tc.secrets.mountDir" $ctx) (kebabcase $key) | quote }}
      {{- end }}
    {{- if .server }}
    ports:
      - name: http
        containerPort: {{ $v.config.server.port }}
        protocol: TCP
    {{- include "tc.probes" $ctx | nindent 4 }}
    {{- end }}
    resources:
      {{- toYaml $v.resources | nindent 6 }}
    {{- include "tc.container.securityContext" $ctx | nindent 4 }}
    volumeMounts:
      - name: config
        mountPath: {{ include "tc.config.mountDir" $ctx }}
        readOnly: true
      {{- if $secretKeys }}
      - name: secrets
        mountPath: {{ include "tc.secrets.mountDir" $ctx }}
        readOnly: true
      {{- end }}
      - name: tmp
        mountPath: /tmp
volumes:
  - name: config
    configMap:
      name: {{ .configMap }}
      items:
        - key: config.json
          path: config.json
  {{- if $secretKeys }}
  - name: secrets
    secret:
      secretName: {{ .secret }}
      defaultMode: 0440
      items:
        {{- range $key := $secretKeys }}
        - key: {{ kebabcase $key }}
          path: {{ kebabcase $key }}
        {{- end }}
  {{- end }}
  - name: tmp
    emptyDir:
      sizeLimit: {{ $v.tmpSizeLimit }}
{{- end -}}

{{/* Probes on the contract's endpoints: /healthz (the process works), /readyz (dependencies answer). */}}
{{- define "tc.probes" -}}
{{- $p := .Values.probes -}}
startupProbe:
  httpGet:
    path: /healthz
    port: http
  {{- toYaml $p.startup | nindent 2 }}
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  {{- toYaml $p.liveness | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  {{- toYaml $p.readiness | nindent 2 }}
{{- end -}}

{{/*
Image reference: repository, a tag (the chart's appVersion when empty; never "latest" by default)
and an optional digest. With a digest the kubelet pulls by digest; the tag stays for humans.
global.imageRegistry replaces the repository's registry (its first part when that names a host:
a dot, a port or localhost), or goes in front of a repository that names none.
*/}}
{{- define "tc.image" -}}
{{- $repository := include "tc.image.repository" (list .Values.image.repository ((.Values.global).imageRegistry)) -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" $repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{/* (list repository registry): the repository under registry; unchanged when registry is empty. */}}
{{- define "tc.image.repository" -}}
{{- $repository := index . 0 -}}
{{- $registry := index . 1 | default "" | trimSuffix "/" -}}
{{- if not $registry -}}
{{- $repository -}}
{{- else -}}
{{- $first := regexFind "^[^/]+" $repository -}}
{{- if and (contains "/" $repository) (or (contains "." $first) (contains ":" $first) (eq $first "localhost")) -}}
{{- printf "%s/%s" $registry (trimPrefix (printf "%s/" $first) $repository) -}}
{{- else -}}
{{- printf "%s/%s" $registry $repository -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
imagePullSecrets of a pod spec, or nothing: global.imagePullSecrets (names or {name} objects),
then the chart's own, each once. Callers indent it.
*/}}
{{- define "tc.imagePullSecrets" -}}
{{- $names := list -}}
{{- range concat (((.Values.global).imagePullSecrets) | default list) (.Values.imagePullSecrets | default list) -}}
{{- if kindIs "map" . -}}
{{- $names = append $names .name -}}
{{- else -}}
{{- $names = append $names . -}}
{{- end -}}
{{- end -}}
{{- with $names | uniq -}}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

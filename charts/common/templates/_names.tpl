{{/*
Names and labels. Templates are prefixed "tc." because named templates are global across a chart
tree: a "common." prefix would collide with other libraries called common (bitnami's, for one).
Kubernetes object names and label values are limited to 63 characters.
*/}}

{{/* The chart name, or nameOverride. Used for the app.kubernetes.io/name label. */}}
{{- define "tc.names.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release-qualified name of this chart's objects: fullnameOverride, else "<release>-<name>",
or just the release name when it already contains the chart name (release "product-api").
*/}}
{{- define "tc.names.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
fullname plus a suffix, still within 63 characters: the fullname is shortened, never the suffix,
so "<long>-migrate" stays recognisable. Call with (list $ "migrate").
*/}}
{{- define "tc.names.suffixed" -}}
{{- $ctx := index . 0 -}}
{{- $suffix := index . 1 -}}
{{- $base := include "tc.names.fullname" $ctx | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" -}}
{{- printf "%s-%s" $base $suffix -}}
{{- end -}}

{{/*
A context for another chart of the same release, so a parent can name a subchart's objects with
the subchart's own rules: (dict "Values" (index .Values "product-api") "Chart" (dict "Name"
"product-api") "Release" .Release).
*/}}
{{- define "tc.names.fullnameOf" -}}
{{- $root := index . 0 -}}
{{- $chart := index . 1 -}}
{{- include "tc.names.fullname" (dict "Values" (index $root.Values $chart) "Chart" (dict "Name" $chart) "Release" $root.Release) -}}
{{- end -}}

{{- define "tc.names.nameOf" -}}
{{- $root := index . 0 -}}
{{- $chart := index . 1 -}}
{{- include "tc.names.name" (dict "Values" (index $root.Values $chart) "Chart" (dict "Name" $chart)) -}}
{{- end -}}

{{/* helm.sh/chart label value: "+" is not allowed in label values. */}}
{{- define "tc.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that never change for the life of a release: Deployment selectors are immutable. */}}
{{- define "tc.labels.selector" -}}
app.kubernetes.io/name: {{ include "tc.names.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Standard labels on every object. The version is the image tag when the chart has an image. */}}
{{- define "tc.labels.standard" -}}
helm.sh/chart: {{ include "tc.names.chart" . }}
{{ include "tc.labels.selector" . }}
{{- $version := .Chart.AppVersion -}}
{{- if and .Values.image .Values.image.tag }}{{ $version = .Values.image.tag }}{{ end }}
app.kubernetes.io/version: {{ $version | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: techcommerce
{{- end -}}

{{/*
Selector of one component's pods: the server pods behind the Service ("server") are kept apart
from the migration Job's pods ("migration"), so a Service never routes to a Job pod.
Call with (list $ "server").
*/}}
{{- define "tc.labels.componentSelector" -}}
{{- $ctx := index . 0 -}}
{{ include "tc.labels.selector" $ctx }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "tc.labels.component" -}}
{{- $ctx := index . 0 -}}
{{ include "tc.labels.standard" $ctx }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

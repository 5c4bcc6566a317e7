{{/*
The shop's services that are enabled in this release, in a fixed order, and who calls whom:
the NetworkPolicies and the smoke test are generated from this one graph. A disabled subchart
is absent from .Subcharts.
*/}}
{{- define "techcommerce.services" -}}
{{- $enabled := list -}}
{{- range $svc := list "frontend" "product-api" "order-api" -}}
{{- if hasKey $.Subcharts $svc }}{{ $enabled = append $enabled $svc }}{{ end -}}
{{- end -}}
{{- toJson $enabled -}}
{{- end -}}

{{- define "techcommerce.calls" -}}
{{- toJson (dict "frontend" (list "product-api" "order-api") "order-api" (list "product-api") "product-api" list) -}}
{{- end -}}

{{/* Pod labels of a service's pods (server and migration Job) in this release. Call with (list $ "product-api"). */}}
{{- define "techcommerce.servicePods" -}}
{{- $sub := index (index . 0).Subcharts (index . 1) -}}
{{ include "tc.labels.selector" $sub }}
{{- end -}}

{{/* The smoke-test pod's labels (used by its NetworkPolicy rules too). */}}
{{- define "techcommerce.smokeTestPods" -}}
{{ include "tc.labels.selector" . }}
app.kubernetes.io/component: smoke-test
{{- end -}}

{{/* Space-separated /readyz URLs of the given services, through their Services' management port. */}}
{{- define "techcommerce.readyzUrls" -}}
{{- $root := index . 0 -}}
{{- $urls := list -}}
{{- range $svc := index . 1 -}}
{{- $sub := index $root.Subcharts $svc -}}
{{- $urls = append $urls (printf "http://%s.%s.svc:%s/readyz" (include "tc.names.fullname" $sub) $root.Release.Namespace (include "tc.managementPort" $sub)) -}}
{{- end -}}
{{- join " " $urls -}}
{{- end -}}

{{/* The enabled APIs in database.mode bundled, as a JSON list. */}}
{{- define "techcommerce.bundledApis" -}}
{{- $apis := list -}}
{{- range $svc := list "product-api" "order-api" -}}
{{- if and (hasKey $.Subcharts $svc) (eq (include "tc.database.mode" (index $.Subcharts $svc)) "bundled") -}}
{{- $apis = append $apis $svc -}}
{{- end -}}
{{- end -}}
{{- toJson $apis -}}
{{- end -}}

{{/* The CloudNativePG Clusters this release renders (one per API in that mode), as a JSON list. */}}
{{- define "techcommerce.cnpgClusters" -}}
{{- $clusters := list -}}
{{- range $svc := list "product-api" "order-api" -}}
{{- if and (hasKey $.Subcharts $svc) (eq (include "tc.database.mode" (index $.Subcharts $svc)) "cloudnative-pg") -}}
{{- $clusters = append $clusters (include "tc.database.clusterName" (index $.Subcharts $svc)) -}}
{{- end -}}
{{- end -}}
{{- toJson $clusters -}}
{{- end -}}

{{/* The bundled PostgreSQL's pods (its StatefulSet's selector). */}}
{{- define "techcommerce.postgresqlPods" -}}
{{- include "tc.labels.componentSelector" (list (dict "Values" dict "Chart" (dict "Name" "postgresql") "Release" .Release) "database") -}}
{{- end -}}

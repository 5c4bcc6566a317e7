{{/*
Database rules across the APIs (each API chart checks its own: tc.validate.database):
  - an API in database.mode bundled needs postgresql.enabled, and the bundled server must create
    that API's database and user (postgresql.databases.<api>);
  - the APIs sharing one server (the bundled one, or an external host:port) fit its connection
    limit together: tc.validate.connectionBudget over all of them.
*/}}
{{- define "techcommerce.validate.databases" -}}
{{- $bundled := include "techcommerce.bundledApis" . | fromJsonArray -}}
{{- if $bundled -}}
  {{- if not (hasKey .Subcharts "postgresql") -}}
    {{- fail (printf "postgresql.enabled: %s use database.mode bundled, so the bundled PostgreSQL must be on (or give them database.mode external or cloudnative-pg)" (join " and " $bundled)) -}}
  {{- end -}}
  {{- $pg := .Subcharts.postgresql.Values -}}
  {{- $apis := list -}}
  {{- range $api := $bundled -}}
    {{- $sub := index $.Subcharts $api -}}
    {{- $want := dict "name" $sub.Values.database.name "user" $sub.Values.database.user -}}
    {{- $has := index $pg.databases $api | default dict -}}
    {{- if or (ne (toString $has.name) (toString $want.name)) (ne (toString $has.user) (toString $want.user)) -}}
      {{- fail (printf "postgresql.databases.%s: must be {name: %s, user: %s}, the database and user %s.database names (it is %s)" $api $want.name $want.user $api (toJson $has)) -}}
    {{- end -}}
    {{- $apis = append $apis $sub -}}
  {{- end -}}
  {{- include "tc.validate.connectionBudget" (dict "server" (printf "the bundled PostgreSQL %s" (include "tc.database.bundledName" .)) "limit" (int $pg.maxConnections) "limitKey" "postgresql.maxConnections" "at" "postgresql.maxConnections" "reserve" (int $pg.reservedConnections) "apis" $apis) -}}
{{- end -}}
{{- $servers := dict -}}
{{- range $api := list "product-api" "order-api" -}}
  {{- $sub := index $.Subcharts $api -}}
  {{- if and $sub (eq (include "tc.database.mode" $sub) "external") -}}
    {{- $x := $sub.Values.database.external -}}
    {{- $key := printf "%s:%v" $x.host $x.port -}}
    {{- $_ := set $servers $key (append (index $servers $key | default list) $sub) -}}
  {{- end -}}
{{- end -}}
{{- range $server, $apis := $servers -}}
  {{- if gt (len $apis) 1 -}}
    {{- $limit := 0 -}}{{- $reserve := 0 -}}{{- $limitKey := "" -}}
    {{- range $sub := $apis -}}
      {{- $x := $sub.Values.database.external -}}
      {{- if or (eq $limit 0) (lt (int $x.maxConnections) $limit) -}}
        {{- $limit = int $x.maxConnections -}}
        {{- $limitKey = printf "%s.database.external.maxConnections" $sub.Chart.Name -}}
      {{- end -}}
      {{- $reserve = max $reserve (int $x.reservedConnections) -}}
    {{- end -}}
    {{- include "tc.validate.connectionBudget" (dict "server" (printf "the external server %s" $server) "limit" $limit "limitKey" $limitKey "at" $limitKey "reserve" $reserve "apis" $apis) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

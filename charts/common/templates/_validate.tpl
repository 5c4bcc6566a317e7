{{/*
Rules a JSON schema cannot express (they relate two values, or depend on global.environment).
They run inside plain `helm template|install`, so a bad release fails before anything is applied.
Each message starts with the key to change. The values CLI holds the same rules
(scripts/src/values/rules); scripts/test/charts/rules-conformance.test.ts proves that both give
the same verdict on the same key, so a rule changed here is changed there too. Included once per chart, from the template that always
renders: tc.deployment (the service charts) and the postgresql chart's StatefulSet.
*/}}
{{- define "tc.validate" -}}
{{- $env := ((.Values.global).environment) | default "development" -}}
{{- $chart := .Chart.Name -}}
{{- if eq $env "production" -}}
  {{- /* A digest pins the image by itself (the kubelet pulls by it; the tag is for humans). */ -}}
  {{- if not (or .Values.image.tag .Values.image.digest) -}}
    {{- fail (printf "%s.image.tag: production needs a pinned image: a tag (not the chart's appVersion) or image.digest (global.environment is production)" $chart) -}}
  {{- end -}}
  {{- if eq (lower (toString .Values.image.tag)) "latest" -}}
    {{- fail (printf "%s.image.tag: \"latest\" is not allowed in production; pin a version" $chart) -}}
  {{- end -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: production takes secrets only through secrets.existingSecret, never as a value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- if and .Values.secrets .Values.secrets.existingSecret -}}
  {{- range $key := include "tc.secrets.plaintextKeys" . | fromJsonArray -}}
    {{- fail (printf "%s.secrets.%s: remove it; secrets.existingSecret is set, so the chart creates no Secret and would ignore this value" $chart $key) -}}
  {{- end -}}
{{- end -}}
{{- include "tc.secrets.require" . -}}
{{- $config := .Values.config | default dict -}}
{{- $global := .Values.global | default dict -}}
{{- range $key := include "tc.config.fromGlobal" . | fromJsonArray -}}
  {{- if and (hasKey $config $key) (ne (toString (index $config $key)) (toString (index $global $key))) -}}
    {{- fail (printf "%s.config.%s (%v) differs from global.%s (%v): remove it; the chart sets it from global.%s" $chart $key (index $config $key) $key (index $global $key) $key) -}}
  {{- end -}}
{{- end -}}
{{- $shutdown := int (((.Values.config).server).shutdownTimeoutSeconds | default 20) -}}
{{- if le (int .Values.terminationGracePeriodSeconds) $shutdown -}}
  {{- fail (printf "%s.terminationGracePeriodSeconds (%d) must be greater than config.server.shutdownTimeoutSeconds (%d), or Kubernetes kills the pod before in-flight requests finish" $chart (int .Values.terminationGracePeriodSeconds) $shutdown) -}}
{{- end -}}
{{- if and .Values.pdb .Values.pdb.enabled -}}
  {{- include "tc.validate.pdb" . -}}
{{- end -}}
{{- if and (eq $env "production") (((.Values.config).faults).enabled) -}}
  {{- fail (printf "%s.config.faults.enabled: must be false in production: the fault switch is for alert tests only" $chart) -}}
{{- end -}}
{{- include "tc.validate.ports" . -}}
{{- include "tc.validate.tree" (dict "v" .Values "path" $chart "skip" (include "tc.validate.ownKeysSkip" . | fromJsonArray)) -}}
{{- if and .Values.autoscaling .Values.autoscaling.enabled -}}
  {{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
    {{- fail (printf "%s.autoscaling.minReplicas (%d) must be ≤ maxReplicas (%d)" $chart (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
  {{- end -}}
{{- end -}}
{{- if .Values.database -}}
  {{- include "tc.validate.database" . -}}
{{- end -}}
{{- end -}}

{{/*
An API's database: database.mode owns the connection keys of config.database; the password
comes from one place; and the server a chart renders itself (CloudNativePG) or an external one
gets no more connections than it allows (the umbrella adds the sums over both APIs:
techcommerce.validate.databases). The embedded driver's limits (one replica, no HPA,
development only) are in the values schema.
*/}}
{{- define "tc.validate.database" -}}
{{- $chart := .Chart.Name -}}
{{- $mode := include "tc.database.mode" . -}}
{{- $db := ((.Values.config).database) | default dict -}}
{{- range $key := include "tc.database.ownedKeys" . | fromJsonArray -}}
  {{- if hasKey $db $key -}}
    {{- fail (printf "%s.config.database.%s: remove it; database.mode (%s) sets it" $chart $key $mode) -}}
  {{- end -}}
{{- end -}}
{{- $source := include "tc.database.passwordSource" . | fromJson -}}
{{- if and $source .Values.secrets .Values.secrets.databasePassword -}}
  {{- fail (printf "%s.secrets.databasePassword: remove it; with database.mode %s the password comes from Secret %s (key %s)" $chart $mode $source.secret $source.key) -}}
{{- end -}}
{{- if eq $mode "external" -}}
  {{- $x := .Values.database.external -}}
  {{- include "tc.validate.connectionBudget" (dict "server" (printf "the external server %s:%v" $x.host $x.port) "limit" (int $x.maxConnections) "limitKey" (printf "%s.database.external.maxConnections" $chart) "at" (printf "%s.database.external.maxConnections" $chart) "reserve" (int $x.reservedConnections) "apis" (list .)) -}}
{{- else if eq $mode "cloudnative-pg" -}}
  {{- $c := .Values.database.cloudnativePg -}}
  {{- $limit := int (index $c.parameters "max_connections" | default "100") -}}
  {{- $budget := sub $limit (int $c.reservedConnections) -}}
  {{- if $c.pooler.enabled -}}
    {{- include "tc.validate.connectionBudget" (dict "server" (printf "the PgBouncer Pooler %s" (include "tc.database.poolerName" .)) "limit" (mul (int $c.pooler.maxClientConnections) (int $c.pooler.instances)) "limitKey" (printf "%s.database.cloudnativePg.pooler.maxClientConnections (× %d instances)" $chart (int $c.pooler.instances)) "at" (printf "%s.database.cloudnativePg.pooler.maxClientConnections" $chart) "reserve" 0 "apis" (list .)) -}}
    {{- $server := mul (int $c.pooler.defaultPoolSize) (int $c.pooler.instances) -}}
    {{- if gt $server $budget -}}
      {{- fail (printf "%s.database.cloudnativePg.pooler.defaultPoolSize: database connections: the Pooler %s opens %d server connections (pooler.defaultPoolSize %d × %d instances) to the CloudNativePG Cluster %s, which takes %d (%s.database.cloudnativePg.parameters.max_connections %d - %d reserved): lower pooler.defaultPoolSize or pooler.instances, or raise max_connections" $chart (include "tc.database.poolerName" .) $server (int $c.pooler.defaultPoolSize) (int $c.pooler.instances) (include "tc.database.clusterName" .) $budget $chart $limit (int $c.reservedConnections)) -}}
    {{- end -}}
  {{- else -}}
    {{- include "tc.validate.connectionBudget" (dict "server" (printf "the CloudNativePG Cluster %s" (include "tc.database.clusterName" .)) "limit" $limit "limitKey" (printf "%s.database.cloudnativePg.parameters.max_connections" $chart) "at" (printf "%s.database.cloudnativePg.parameters.max_connections" $chart) "reserve" (int $c.reservedConnections) "apis" (list .)) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

{{/*
Fails when the APIs sharing one server could open more connections than it takes: the sum of
pool size x maximum replicas must be ≤ limit - reserve. Call with a dict: server (words for the
message), limit, limitKey (the value that sets it, in words), at (its key path, which the message
starts with, as every rule's does), reserve, apis (chart contexts).
*/}}
{{- define "tc.validate.connectionBudget" -}}
{{- $total := 0 -}}
{{- $parts := list -}}
{{- range $api := .apis -}}
  {{- $n := include "tc.database.connections" $api | fromJson -}}
  {{- $total = add $total (int $n.total) -}}
  {{- $parts = append $parts (printf "%s %d (config.database.poolMax %d × %d replicas)" $api.Chart.Name (int $n.total) (int $n.pool) (int $n.replicas)) -}}
{{- end -}}
{{- $budget := sub (int .limit) (int .reserve) -}}
{{- if gt (int $total) (int $budget) -}}
  {{- fail (printf "%s: database connections: %s can open %d connections to %s, which takes %d (%s %d - %d reserved): lower config.database.poolMax or the maximum replicas, or raise %s" .at (join " + " $parts) (int $total) .server (int $budget) .limitKey (int .limit) (int .reserve) .limitKey) -}}
{{- end -}}
{{- end -}}

{{/*
A PodDisruptionBudget that can be met, checked when the chart renders one (pdb.enabled and more
than one replica at the lowest count): minAvailable or maxUnavailable, not both; minAvailable
below the replica count, maxUnavailable at least one pod (a percentage rounds up, as the
disruption controller does). Otherwise every node drain hangs on these pods.
*/}}
{{- define "tc.validate.pdb" -}}
{{- $chart := .Chart.Name -}}
{{- $replicas := int (include "tc.replicas.min" .) -}}
{{- if gt $replicas 1 -}}
  {{- $min := .Values.pdb.minAvailable -}}
  {{- $max := .Values.pdb.maxUnavailable -}}
  {{- if and (not (kindIs "invalid" $min)) (not (kindIs "invalid" $max)) -}}
    {{- fail (printf "%s.pdb: set minAvailable or maxUnavailable, not both (set the other to null)" $chart) -}}
  {{- end -}}
  {{- if not (kindIs "invalid" $min) -}}
    {{- $pods := include "tc.validate.pods" (list $min $replicas) -}}
    {{- if and $pods (ge (int $pods) $replicas) -}}
      {{- fail (printf "%s.pdb.minAvailable: must leave room for an eviction: %v of %d replicas must stay up, so a node drain can never evict one (use fewer than %d, or maxUnavailable)" $chart $min $replicas $replicas) -}}
    {{- end -}}
  {{- end -}}
  {{- if not (kindIs "invalid" $max) -}}
    {{- $pods := include "tc.validate.pods" (list $max $replicas) -}}
    {{- if and $pods (lt (int $pods) 1) -}}
      {{- fail (printf "%s.pdb.maxUnavailable: must allow at least one pod: with 0 no node drain can evict one" $chart) -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
{{- end -}}

{{/* (list value replicas): a pod count, or a percentage of replicas rounded up; "" otherwise. */}}
{{- define "tc.validate.pods" -}}
{{- $v := toString (index . 0) -}}
{{- if regexMatch "^[0-9]+%$" $v -}}
{{- div (add (mul (int (trimSuffix "%" $v)) (index . 1)) 99) 100 -}}
{{- else if regexMatch "^[0-9]+$" $v -}}
{{- $v -}}
{{- end -}}
{{- end -}}

{{/*
The ports one pod listens on differ: config.server.port, every other `port` under config that is
a listener (not beside a host or url, which name where the service connects to), and the
containerPorts of extraContainers and sidecars.
*/}}
{{- define "tc.validate.ports" -}}
{{- $chart := .Chart.Name -}}
{{- $seen := dict -}}
{{- $ports := list -}}
{{- $server := ((.Values.config).server) | default dict -}}
{{- if include "tc.validate.isNumber" $server.port -}}
  {{- $ports = append $ports (list (int $server.port) "config.server.port") -}}
{{- end -}}
{{- if kindIs "map" .Values.config -}}
  {{- $ports = concat $ports (include "tc.validate.listeners" (dict "v" .Values.config "path" "config") | fromJsonArray) -}}
{{- end -}}
{{- range $key := list "extraContainers" "sidecars" -}}
  {{- range $i, $c := (index $.Values $key | default list) -}}
    {{- if kindIs "map" $c -}}
      {{- range $j, $p := ($c.ports | default list) -}}
        {{- if and (kindIs "map" $p) (include "tc.validate.isNumber" $p.containerPort) -}}
          {{- $ports = append $ports (list (int $p.containerPort) (printf "%s[%d].ports[%d].containerPort" $key $i $j)) -}}
        {{- end -}}
      {{- end -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
{{- range $p := $ports -}}
  {{- $port := toString (int (index $p 0)) -}}
  {{- if and (hasKey $seen $port) (ne (index $seen $port) (index $p 1)) -}}
    {{- fail (printf "%s.%s: must differ from %s (%s): one pod cannot listen twice on a port" $chart (index $p 1) (index $seen $port) $port) -}}
  {{- end -}}
  {{- $_ := set $seen $port (index $p 1) -}}
{{- end -}}
{{- end -}}

{{/* (dict v path): the listeners under a config table as a JSON list of [port, path]. */}}
{{- define "tc.validate.listeners" -}}
{{- $out := list -}}
{{- $client := false -}}
{{- range $k, $_ := .v -}}
  {{- if regexMatch "^(host|hosts|url|.*Url|.*URL|endpoint)$" $k -}}{{- $client = true -}}{{- end -}}
{{- end -}}
{{- range $k, $x := .v -}}
  {{- $path := printf "%s.%s" $.path $k -}}
  {{- if and (eq $k "port") (include "tc.validate.isNumber" $x) (not $client) -}}
    {{- if ne $path "config.server.port" -}}{{- $out = append $out (list (int $x) $path) -}}{{- end -}}
  {{- else if kindIs "map" $x -}}
    {{- $out = concat $out (include "tc.validate.listeners" (dict "v" $x "path" $path) | fromJsonArray) -}}
  {{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Checks every table of a chart's values, not descending into global or the subcharts' keys
(they check their own): resource requests at most their limits, and host names (every `host`,
the items of every `hosts` list, the host of every url/…Url value) valid RFC 1123 names, in lower
case under an ingress. Call with (dict "v" .Values "path" <chart name, or "" for the umbrella>
"skip" <top-level keys to leave out>).
*/}}
{{- define "tc.validate.tree" -}}
{{- $at := .path -}}
{{- $ingress := or .ingress false -}}
{{- if kindIs "map" .v -}}
  {{- if and (kindIs "map" .v.requests) (kindIs "map" .v.limits) -}}
    {{- range $name, $req := .v.requests -}}
      {{- $lim := index $.v.limits $name -}}
      {{- $r := include "tc.validate.quantity" $req -}}
      {{- $l := include "tc.validate.quantity" $lim -}}
      {{- /* Floats, with a relative margin for the decimal places they cannot hold exactly. */ -}}
      {{- if and $r $l (gt (float64 $r) (mulf (float64 $l) 1.000000001)) -}}
        {{- fail (printf "%s: must be ≤ limits.%s (%v): Kubernetes rejects a request above its limit" (include "tc.validate.join" (list $at "requests" $name)) $name $lim) -}}
      {{- end -}}
    {{- end -}}
  {{- end -}}
  {{- range $k, $x := .v -}}
    {{- if not (has $k ($.skip | default list)) -}}
      {{- $path := include "tc.validate.join" (list $at $k) -}}
      {{- $under := or $ingress (eq $k "ingress") -}}
      {{- if and (eq $k "host") (kindIs "string" $x) -}}
        {{- include "tc.validate.host" (dict "host" $x "path" $path "ingress" $ingress "ip" (not $ingress)) -}}
      {{- else if and (eq $k "hosts") (kindIs "slice" $x) -}}
        {{- range $i, $h := $x -}}
          {{- if kindIs "string" $h -}}
            {{- include "tc.validate.host" (dict "host" $h "path" (printf "%s[%d]" $path $i) "ingress" $ingress "ip" false) -}}
          {{- end -}}
        {{- end -}}
      {{- else if and (regexMatch "(^url$|Url$|URL$)" $k) (kindIs "string" $x) -}}
        {{- $m := regexFind "^[a-zA-Z][a-zA-Z0-9+.-]*://([^@/?#]*@)?(\\[[^\\]]*\\]|[^:/?#]*)" $x -}}
        {{- if and $m (not (contains "{{" $x)) -}}
          {{- $host := regexReplaceAll "^[a-zA-Z][a-zA-Z0-9+.-]*://([^@/?#]*@)?" $m "" | trimPrefix "[" | trimSuffix "]" -}}
          {{- include "tc.validate.host" (dict "host" $host "path" $path "ingress" false "ip" true "inUrl" true) -}}
        {{- end -}}
      {{- end -}}
      {{- if or (kindIs "map" $x) (kindIs "slice" $x) -}}
        {{- include "tc.validate.tree" (dict "v" $x "path" $path "ingress" $under) -}}
      {{- end -}}
    {{- end -}}
  {{- end -}}
{{- else if kindIs "slice" .v -}}
  {{- range $i, $x := .v -}}
    {{- if or (kindIs "map" $x) (kindIs "slice" $x) -}}
      {{- include "tc.validate.tree" (dict "v" $x "path" (printf "%s[%d]" $at $i) "ingress" $ingress) -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
{{- end -}}

{{/* "true" for a number (YAML gives float64, --set int64). */}}
{{- define "tc.validate.isNumber" -}}
{{- if or (kindIs "float64" .) (kindIs "int64" .) (kindIs "int" .) -}}true{{- end -}}
{{- end -}}

{{/* Top-level keys that are not the chart's own tables: global, and one per dependency. */}}
{{- define "tc.validate.ownKeysSkip" -}}
{{- $out := list "global" -}}
{{- range $d := .Chart.Dependencies -}}{{- $out = append $out ($d.Alias | default $d.Name) -}}{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* (list prefix key…): a values path as the messages write it (no leading dot at the top). */}}
{{- define "tc.validate.join" -}}
{{- $out := index . 0 -}}
{{- range $k := rest . -}}{{- $out = ternary $k (printf "%s.%s" $out $k) (eq $out "") -}}{{- end -}}
{{- $out -}}
{{- end -}}

{{/*
A Kubernetes quantity (500m, 1, 0.5, 256Mi, 1Gi, 1e3, 1.5G) as a number in base units, or ""
when the value is not one (the schema reports that).
*/}}
{{- define "tc.validate.quantity" -}}
{{- $q := toString . -}}
{{- $form := "^([+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$" -}}
{{- if and (not (kindIs "invalid" .)) (regexMatch $form $q) -}}
  {{- $n := float64 (regexReplaceAll $form $q "${1}") -}}
  {{- $suffix := regexReplaceAll $form $q "${4}" -}}
  {{- $binary := dict "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
  {{- $up := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 -}}
  {{- $down := dict "n" 1e9 "u" 1e6 "m" 1e3 -}}
  {{- if hasKey $binary $suffix -}}{{- mulf $n (index $binary $suffix) -}}
  {{- else if hasKey $up $suffix -}}{{- mulf $n (index $up $suffix) -}}
  {{- else if hasKey $down $suffix -}}{{- divf $n (index $down $suffix) -}}
  {{- else -}}{{- float64 (printf "%se%s" (regexReplaceAll $form $q "${1}") (substr 1 (len $suffix) $suffix)) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

{{/*
Fails when a host is not a valid RFC 1123 host name. (dict host path ingress ip inUrl): under an
ingress, lower case and a leading "*." are the rules; ip allows an IPv4 or IPv6 address. Hosts
with "{{" are left alone: the chart renders them with tpl first.
*/}}
{{- define "tc.validate.host" -}}
{{- $h := .host -}}
{{- $ipv4 := "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$" -}}
{{- $ip := and .ip (or (regexMatch $ipv4 $h) (and (contains ":" $h) (regexMatch "^[0-9a-fA-F:.]+$" $h) (lt (len (splitList "::" $h)) 3))) -}}
{{- if not (or $ip (contains "{{" $h)) -}}
  {{- $why := "" -}}
  {{- $name := ternary $h (trimSuffix "." $h) .ingress -}}
  {{- if eq $h "" -}}{{- $why = "it is empty" -}}
  {{- else if gt (len $name) 253 -}}{{- $why = printf "it is %d characters long, at most 253 are allowed" (len $name) -}}
  {{- else -}}
    {{- $labels := splitList "." $name -}}
    {{- range $i, $label := $labels -}}
      {{- if and (not $why) (not (and $.ingress (eq $i 0) (eq $label "*") (gt (len $labels) 1))) -}}
        {{- if eq $label "" -}}{{- $why = "it has an empty label (two dots in a row, or a dot at an end)" -}}
        {{- else if gt (len $label) 63 -}}{{- $why = printf "a label is %d characters long, at most 63 are allowed" (len $label) -}}
        {{- else if and $.ingress (regexMatch "[A-Z]" $label) -}}{{- $why = printf "label %q has upper-case letters; Kubernetes wants lower case" $label -}}
        {{- else if regexMatch "[^A-Za-z0-9-]" $label -}}{{- $why = printf "label %q has %q; labels use letters, digits and \"-\"" $label (regexFind "[^A-Za-z0-9-]" $label) -}}
        {{- else if or (hasPrefix "-" $label) (hasSuffix "-" $label) -}}{{- $why = printf "label %q starts or ends with \"-\"" $label -}}
        {{- end -}}
      {{- end -}}
    {{- end -}}
  {{- end -}}
  {{- if $why -}}
    {{- fail (printf "%s: %s (RFC 1123): %s" .path (ternary (printf "has host %q, which is not a valid host name" $h) "is not a valid host name" (.inUrl | default false)) $why) -}}
  {{- end -}}
{{- end -}}
{{- end -}}

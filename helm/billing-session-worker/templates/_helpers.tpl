{{- define "bsw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bsw.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bsw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bsw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bsw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "bsw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "bsw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bsw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with one key per merchant id holding its API key. */}}
{{- define "bsw.apiKeySecret" -}}
{{- if .Values.apiKeys.existingSecret }}
{{- .Values.apiKeys.existingSecret }}
{{- else }}
{{- printf "%s-api-keys" (include "bsw.fullname" .) }}
{{- end }}
{{- end }}

{{- define "bsw.defaultMerchant" -}}
{{- if .Values.merchants.default }}{{ .Values.merchants.default }}{{ else }}{{ (first .Values.merchants.list).id }}{{ end }}
{{- end }}

{{/* Seconds: the worker's drain bound on SIGTERM (shutdown grace + 5 s interrupt wait + 10 s consumer close). */}}
{{- define "bsw.drainSeconds" -}}
{{- add (div (add (int .Values.processing.shutdownGraceMs) 999) 1000) 15 }}
{{- end }}

{{- define "bsw.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add (include "bsw.drainSeconds" . | int) 15 }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{- define "bsw.maxReplicas" -}}
{{- if kindIs "invalid" .Values.autoscaling.maxReplicas }}{{ .Values.kafka.inputPartitions }}{{ else }}{{ .Values.autoscaling.maxReplicas }}{{ end }}
{{- end }}

{{/* Fails the render with a message naming the value when the values cannot work. */}}
{{- define "bsw.validate" -}}
{{- if not .Values.merchants.list }}
{{- fail "merchants.list: at least one merchant is required" }}
{{- end }}
{{- $ids := list }}
{{- range .Values.merchants.list }}
{{- if not (regexMatch "^[A-Za-z0-9_.-]{1,64}$" (toString .id)) }}
{{- fail (printf "merchants.list: merchant id '%v' may only hold letters, digits and _ . -" .id) }}
{{- end }}
{{- if not .paymentPageClientId }}
{{- fail (printf "merchants.list: paymentPageClientId is required for merchant %s" .id) }}
{{- end }}
{{- $ids = append $ids .id }}
{{- end }}
{{- if and .Values.merchants.default (not (has .Values.merchants.default $ids)) }}
{{- fail (printf "merchants.default: '%s' is not in merchants.list" .Values.merchants.default) }}
{{- end }}
{{- if and .Values.apiKeys.existingSecret .Values.apiKeys.create }}
{{- fail "apiKeys: set either existingSecret or create, not both" }}
{{- end }}
{{- if not (or .Values.apiKeys.existingSecret .Values.apiKeys.create) }}
{{- fail "apiKeys: set existingSecret (a Secret with one key per merchant id) or create: true with keys" }}
{{- end }}
{{- if .Values.apiKeys.create }}
{{- range $ids }}
{{- if not (hasKey $.Values.apiKeys.keys .) }}
{{- fail (printf "apiKeys.keys: no API key for merchant %s" .) }}
{{- end }}
{{- end }}
{{- end }}
{{- if not (has .Values.kafka.groupProtocol (list "consumer" "classic")) }}
{{- fail (printf "kafka.groupProtocol: '%v' must be consumer or classic" .Values.kafka.groupProtocol) }}
{{- end }}
{{- $partitions := int .Values.kafka.inputPartitions }}
{{- if lt $partitions 1 }}
{{- fail "kafka.inputPartitions: must be at least 1" }}
{{- end }}
{{- if and (not .Values.autoscaling.enabled) (gt (int .Values.replicaCount) $partitions) }}
{{- fail (printf "replicaCount: %d exceeds kafka.inputPartitions (%d); extra workers would sit idle" (int .Values.replicaCount) $partitions) }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- $max := include "bsw.maxReplicas" . | int }}
{{- if gt $max $partitions }}
{{- fail (printf "autoscaling.maxReplicas: %d exceeds kafka.inputPartitions (%d); a consumer group cannot use more workers than partitions" $max $partitions) }}
{{- end }}
{{- if lt $max (int .Values.autoscaling.minReplicas) }}
{{- fail "autoscaling.maxReplicas: must be at least autoscaling.minReplicas" }}
{{- end }}
{{- end }}
{{- $grace := include "bsw.terminationGracePeriodSeconds" . | int }}
{{- $drain := include "bsw.drainSeconds" . | int }}
{{- if le $grace $drain }}
{{- fail (printf "terminationGracePeriodSeconds: %d must exceed the worker's drain bound of %d s (processing.shutdownGraceMs + 15 s)" $grace $drain) }}
{{- end }}
{{- end }}

{{/* worker.properties: the chart's settings, then `config` on top. No secrets: keys are named by environment variable. */}}
{{- define "bsw.properties" -}}
{{- $props := dict
  "kafka.bootstrap.servers" .Values.kafka.bootstrapServers
  "kafka.group.id" .Values.kafka.groupId
  "topics.input" .Values.topics.input
  "topics.created" .Values.topics.created
  "topics.failed" .Values.topics.failed
  "topics.dead-letter" .Values.topics.deadLetter
  "schema.registry.url" .Values.schemaRegistry.url
  "juspay.base-url" .Values.juspay.baseUrl
  "processing.guarantee" .Values.processing.guarantee
  "processing.max-in-flight" (toString .Values.processing.maxInFlight)
  "processing.shutdown-grace-ms" (toString .Values.processing.shutdownGraceMs)
  "processing.rebalance-drain-ms" (toString .Values.processing.rebalanceDrainMs)
  "ops.host" "0.0.0.0"
  "ops.port" (toString .Values.ops.port)
  "merchants.default" (include "bsw.defaultMerchant" .)
}}
{{- if eq .Values.kafka.groupProtocol "consumer" }}
{{- $_ := set $props "kafka.consumer.group.protocol" "consumer" }}
{{- else }}
{{- $_ := set $props "kafka.consumer.partition.assignment.strategy" "org.apache.kafka.clients.consumer.CooperativeStickyAssignor" }}
{{- end }}
{{- $ids := list }}
{{- range $index, $merchant := .Values.merchants.list }}
{{- $ids = append $ids $merchant.id }}
{{- $prefix := printf "merchants.%s." $merchant.id }}
{{- $_ := set $props (print $prefix "payment-page-client-id") $merchant.paymentPageClientId }}
{{- $_ := set $props (print $prefix "api-key-env") (printf "MERCHANT_API_KEY_%d" $index) }}
{{- if $merchant.returnUrl }}
{{- $_ := set $props (print $prefix "return-url") $merchant.returnUrl }}
{{- end }}
{{- if $merchant.rateLimitPerSecond }}
{{- $_ := set $props (print $prefix "rate-limit-per-second") (toString $merchant.rateLimitPerSecond) }}
{{- end }}
{{- end }}
{{- $_ := set $props "merchants.ids" (join "," $ids) }}
{{- if .Values.schemaRegistry.basicAuthSecret.name }}
{{- $_ := set $props "schema.registry.basic-auth-env" "SCHEMA_REGISTRY_USER_INFO" }}
{{- end }}
{{- range $key, $value := .Values.config }}
{{- $_ := set $props $key (toString $value) }}
{{- end }}
{{- range $key := keys $props | sortAlpha }}
{{ $key }}={{ get $props $key }}
{{- end }}
{{- end }}

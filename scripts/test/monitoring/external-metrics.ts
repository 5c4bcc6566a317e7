// Metrics the rules and dashboards read that no TechCommerce service exports: Prometheus's own
// series and what kube-prometheus-stack collects from Kubernetes. Each name says where it comes
// from; the metric check fails on any name used in a rule or dashboard that is neither exported
// by a running service nor listed here, and on a listed name nothing uses any more.
export const EXTERNAL_METRICS: Readonly<Record<string, string>> = {
  up: 'Prometheus writes up{} for every scrape target: 1 scraped, 0 failed (target-down, metrics-absent).',
  ALERTS: "Prometheus's own series of pending and firing alerts (release dashboard).",
  kube_pod_container_status_restarts_total:
    'kube-state-metrics (a kube-prometheus-stack dependency): restarts per container (restart-loop alert).',
  kube_pod_container_status_waiting_reason:
    'kube-state-metrics: why a container is waiting, e.g. CrashLoopBackOff (restart-loop alert).',
  kube_deployment_spec_replicas: 'kube-state-metrics: desired replicas of a Deployment (release dashboard).',
  kube_deployment_status_replicas_updated:
    'kube-state-metrics: replicas already on the new ReplicaSet during a rollout (release dashboard).',
  kube_deployment_status_replicas_available:
    'kube-state-metrics: ready replicas of a Deployment (release dashboard).',
  kube_horizontalpodautoscaler_status_current_replicas:
    'kube-state-metrics: replicas the HPA runs now (HPA alert).',
  kube_horizontalpodautoscaler_status_desired_replicas:
    'kube-state-metrics: replicas the HPA wants (release dashboard).',
  kube_horizontalpodautoscaler_spec_min_replicas: 'kube-state-metrics: the HPA minReplicas (HPA alert).',
  kube_horizontalpodautoscaler_spec_max_replicas: 'kube-state-metrics: the HPA maxReplicas (HPA alert).',
  kubelet_volume_stats_used_bytes:
    "the kubelet's /metrics (kube-prometheus-stack's kubelet ServiceMonitor): bytes used on a PVC (volume alert).",
  kubelet_volume_stats_capacity_bytes: 'the kubelet: capacity of a PVC (volume alert).',
};

package plugin

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	calls     *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	restarts  *prometheus.CounterVec
	crashes   *prometheus.CounterVec
	hostCalls *prometheus.CounterVec
	events    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_plugin_requests_total", Help: "Requests served by each plugin, by outcome.",
		}, []string{"plugin", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "balai_plugin_request_duration_seconds", Help: "Time a plugin took to answer.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"plugin"}),
		restarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_plugin_restarts_total", Help: "Plugin restarts by the supervisor.",
		}, []string{"plugin"}),
		crashes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_plugin_crashes_total", Help: "Plugin processes found dead or hung.",
		}, []string{"plugin"}),
		hostCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_plugin_host_calls_total", Help: "Calls from plugins to host services.",
		}, []string{"plugin", "service"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_plugin_events_total", Help: "Event deliveries by consumer and outcome.",
		}, []string{"plugin", "outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.calls, m.duration, m.restarts, m.crashes, m.hostCalls, m.events)
	}
	return m
}

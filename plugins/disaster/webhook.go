package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Settings are the module's settings, saved at the regency and inherited
// by every village below it: where to post the alert of a verified
// disaster (the regency's BPBD system, a WhatsApp gateway, ...).
type Settings struct {
	// WebhookURL is an http or https URL; empty sends no webhook.
	WebhookURL string `json:"webhook_url,omitempty"`
	// WebhookSecret keys the HMAC-SHA256 signature of each body (at
	// least 16 characters); never shown back.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// SettingsInput is the body of PUT /settings: webhook_url (empty turns the
// webhook off) and webhook_secret (empty keeps the one saved).
type SettingsInput struct {
	WebhookURL    string `json:"webhook_url"`
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// SettingsView is the answer of GET and PUT /settings: the URL, and
// whether a secret is set (the secret itself is never answered).
type SettingsView struct {
	WebhookURL string `json:"webhook_url"`
	SecretSet  bool   `json:"secret_set"`
}

// getSettings is GET /settings (disaster.settings.write): the webhook as
// the tenant has it (its own or inherited from the regency).
func getSettings(r *http.Request) (int, any, error) {
	var s Settings
	if err := sdk.From(r).Settings(r.Context(), &s); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, SettingsView{WebhookURL: s.WebhookURL, SecretSet: s.WebhookSecret != ""}, nil
}

// checkWebhookURL accepts an absolute http(s) URL with a host; a host
// written as a refused address (loopback, link-local, ...: see refusal)
// is 422 webhook_address_refused. A name is checked where it is dialled.
func checkWebhookURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.User != nil || len(s) > 500 {
		return invalid(codeInvalidSettings, "webhook_url", "webhook_url must be an http or https URL of at most 500 characters, without credentials")
	}
	if why := literalRefusal(u.Hostname()); why != "" {
		return invalid(codeWebhookAddressRefused, "webhook_url", "webhook_url may not point at %s; the regency's own systems on private addresses (10.x, 172.16-31.x, 192.168.x, fc00::/7) or on the internet are allowed", why)
	}
	return nil
}

// putSettings is PUT /settings (disaster.settings.write, at the regency
// only: 422 not_a_regency): the webhook every village below posts to when
// a disaster is verified. 422 invalid_settings for a URL that is not http(s)
// or a secret under 16 characters; a URL needs a secret.
func putSettings(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Regency {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotARegency, "the alert webhook is set at the regency (%s is a %s)", req.Tenant, req.Level)
	}
	var in SettingsInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	in.WebhookURL = strings.TrimSpace(in.WebhookURL)
	if err := checkWebhookURL(in.WebhookURL); err != nil {
		return 0, nil, err
	}
	if in.WebhookSecret != "" {
		if err := input.Name(in.WebhookSecret, 200); err != nil || len(in.WebhookSecret) < 16 {
			return 0, nil, invalid(codeInvalidSettings, "webhook_secret", "webhook_secret must be 16 to 200 printable characters")
		}
	}
	var s Settings
	if err := req.Settings(r.Context(), &s); err != nil {
		return 0, nil, err
	}
	s.WebhookURL = in.WebhookURL
	if in.WebhookSecret != "" {
		s.WebhookSecret = in.WebhookSecret
	}
	if s.WebhookURL != "" && s.WebhookSecret == "" {
		return 0, nil, invalid(codeInvalidSettings, "webhook_secret", "a webhook needs a secret to sign its bodies")
	}
	if err := req.SaveSettings(r.Context(), s); err != nil {
		return 0, nil, err
	}
	// The query may hold the receiver's token: the audit names the address only.
	if err := req.Batch().Audit("settings.webhook", req.Tenant, map[string]any{"url": redactURL(s.WebhookURL)}).Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, SettingsView{WebhookURL: s.WebhookURL, SecretSet: s.WebhookSecret != ""}, nil
}

// Delivery states.
const (
	DeliveryDelivered = "delivered"
	DeliveryRetrying  = "retrying"
	DeliveryFailed    = "failed"
)

// maxAttempts is how often a webhook is tried: once, then three retries
// after the host's redelivery backoff (2 s, 4 s, 8 s).
const maxAttempts = 4

// Delivery is one webhook delivery as GET /deliveries lists it.
type Delivery struct {
	ID          string    `json:"id"`
	Tenant      string    `json:"tenant"`
	EventID     int64     `json:"event_id"`
	ReportID    string    `json:"report_id"`
	URL         string    `json:"url"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	LastStatus  int       `json:"last_status,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	LastAt      time.Time `json:"last_at"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
}

// listDeliveries is GET /deliveries (disaster.settings.write): the
// webhook deliveries of the tenant and the villages below, newest first.
func listDeliveries(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	recs, total, err := sdk.From(r).Records("deliveries").Query().Subtree().OrderBy("last_at", true).Page(offset, limit).WithTotal().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]Delivery, 0, len(recs))
	for i := range recs {
		var d Delivery
		if err := recs[i].Decode(&d); err != nil {
			return 0, nil, err
		}
		d.ID, d.Tenant = recs[i].ID, recs[i].Tenant
		items = append(items, d)
	}
	return http.StatusOK, sdk.ListOf[Delivery]{Items: items, Total: total}, nil
}

// WebhookBody is what the webhook posts (JSON), signed in the header
// X-Balai-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>.
// It never holds personal data: no reporter, no KK or NIK.
type WebhookBody struct {
	Event   string        `json:"event"`
	EventID uint64        `json:"event_id"`
	SentAt  time.Time     `json:"sent_at"`
	Report  WebhookReport `json:"report"`
	// Region is the village and its ancestors, province first.
	Region []sdk.Tenant `json:"region"`
}

// WebhookReport is the verified report in a webhook body.
type WebhookReport struct {
	ID          string    `json:"id"`
	Village     string    `json:"village"`
	VillageName string    `json:"village_name"`
	Type        string    `json:"type"`
	TypeLabel   string    `json:"type_label"`
	Status      string    `json:"status"`
	OccurredAt  time.Time `json:"occurred_at"`
	VerifiedAt  time.Time `json:"verified_at"`
	Dusun       string    `json:"dusun,omitempty"`
	Location    string    `json:"location,omitempty"`
	Latitude    *float64  `json:"latitude,omitempty"`
	Longitude   *float64  `json:"longitude,omitempty"`
	Description string    `json:"description"`
}

// Sign is the signature header's value for body and secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// webhookClient posts webhooks; each attempt waits 5 s at most, follows
// no redirect and dials no refused address (see newWebhookClient).
var webhookClient = newWebhookClient(5 * time.Second)

// deliverWebhook handles disaster.report_verified: it posts the regency's
// webhook (inherited settings of the village) and logs the outcome in
// deliveries. A failure (no answer, or not 2xx) asks the host to deliver
// the event again, which it does with backoff, until maxAttempts; then the
// delivery is logged as failed. At least once: a receiver dedupes on
// event_id (X-Balai-Delivery).
func deliverWebhook(ctx context.Context, ev sdk.Event) error {
	req := sdk.FromContext(ctx)
	var p EventPayload
	if err := sdk.Unmarshal(ev.Payload, &p); err != nil || p.ReportID == "" {
		sdk.Logf(ctx, "warn", "event %d: unreadable payload: %v", ev.ID, err)
		return nil
	}
	var s Settings
	if err := req.Settings(ctx, &s); err != nil {
		return err
	}
	if s.WebhookURL == "" || s.WebhookSecret == "" {
		return nil
	}
	rec, err := req.Records("reports").Get(ctx, p.ReportID)
	if err != nil {
		if errorsIsNotFound(err) {
			return nil
		}
		return err
	}
	rp, err := decodeReport(rec)
	if err != nil {
		return nil
	}
	prev, err := req.Records("deliveries").GetBy(ctx, "event_id", int64(ev.ID))
	if err != nil && !errorsIsNotFound(err) {
		return err
	}
	var d Delivery
	if prev != nil {
		if err := prev.Decode(&d); err != nil {
			return err
		}
		if d.State != DeliveryRetrying {
			return nil // delivered or given up already
		}
	}
	self, ancestors, err := req.TenantInfo(ctx)
	if err != nil {
		return err
	}
	t, _ := typeOf(rp.Type)
	body, err := json.Marshal(WebhookBody{Event: ev.Name, EventID: ev.ID, SentAt: req.Now().UTC(), Region: append(ancestors, self),
		Report: WebhookReport{ID: rec.ID, Village: rec.Tenant, VillageName: self.Name, Type: rp.Type, TypeLabel: t.Label, Status: StatusVerified,
			OccurredAt: rp.OccurredAt, VerifiedAt: rp.VerifiedAt, Dusun: rp.Dusun, Location: rp.Location, Latitude: rp.Latitude,
			Longitude: rp.Longitude, Description: rp.Description}})
	if err != nil {
		return nil
	}
	status, postErr := post(ctx, s, ev, body)
	d.Attempts++
	now := req.Now().UTC()
	patch := map[string]any{"event_id": int64(ev.ID), "report_id": rec.ID, "url": redactURL(s.WebhookURL), "attempts": d.Attempts,
		"last_status": status, "last_at": now, "last_error": ""}
	switch {
	case postErr == nil:
		patch["state"], patch["delivered_at"] = DeliveryDelivered, now
	case errors.Is(postErr, errRefusedAddress) || d.Attempts >= maxAttempts:
		// A refused destination would be refused again: no retry.
		patch["state"], patch["last_error"] = DeliveryFailed, truncate(deliveryError(postErr), 300)
	default:
		patch["state"], patch["last_error"] = DeliveryRetrying, truncate(deliveryError(postErr), 300)
	}
	if prev == nil {
		_, err = req.Records("deliveries").Insert(ctx, patch)
	} else {
		_, err = req.Records("deliveries").Update(ctx, prev.ID, prev.Version, patch)
	}
	if err != nil {
		return err
	}
	sdk.Logf(ctx, "info", "webhook of event %d for report %s: %v (attempt %d)", ev.ID, rec.ID, patch["state"], d.Attempts)
	if patch["state"] == DeliveryRetrying {
		return fmt.Errorf("webhook attempt %d failed: %v", d.Attempts, postErr)
	}
	return nil
}

// post sends one attempt and answers the receiver's status.
func post(ctx context.Context, s Settings, ev sdk.Event, body []byte) (int, error) {
	hr, err := http.NewRequestWithContext(ctx, "POST", s.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("User-Agent", "Balai-disaster/0.1")
	hr.Header.Set("X-Balai-Event", ev.Name)
	hr.Header.Set("X-Balai-Delivery", fmt.Sprint(ev.ID))
	hr.Header.Set("X-Balai-Signature", Sign(s.WebhookSecret, body))
	res, err := webhookClient.Do(hr)
	if err != nil {
		return 0, fmt.Errorf("no answer: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("answered %d", res.StatusCode)
	}
	return res.StatusCode, nil
}

// redactURL drops the query of a URL for the log (it may hold a token).
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		u.RawQuery, u.Fragment = "", ""
		return u.String()
	}
	return ""
}

// deliveryError is a failed delivery's error as the delivery log keeps it:
// a *url.Error's text repeats the whole address, query and all, which may
// hold the receiver's token, so only its operation and cause are kept.
func deliveryError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + " " + redactURL(ue.URL) + ": " + ue.Err.Error()
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

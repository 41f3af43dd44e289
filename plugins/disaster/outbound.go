package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"
)

// AllowLoopbackEnv names the environment variable by which the deployment
// (never a regency admin) lets the webhook reach loopback addresses: the
// host sets it to "1" in the plugin's environment when it is started with
// --outbound-allow-loopback (BALAI_OUTBOUND_ALLOW_LOOPBACK=true). It is
// for tests, whose receivers listen on 127.0.0.1; a real deployment never
// sets it.
const AllowLoopbackEnv = "BALAI_OUTBOUND_ALLOW_LOOPBACK"

// loopbackAllowed reads AllowLoopbackEnv at each use, so a test can set it.
func loopbackAllowed() bool { return os.Getenv(AllowLoopbackEnv) == "1" }

// refusedPrefixes are destinations a webhook may not reach besides
// loopback, link-local, multicast and unspecified addresses (which netip
// names): addresses that are not routable or that reach the machine's own
// infrastructure. Sources: IANA's IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890). The private ranges (10/8, 172.16/12, 192.168/16,
// fc00::/7) stay allowed: a regency's own systems live there.
var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),         // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),     // shared address space (carrier NAT; Alibaba Cloud's metadata at 100.100.100.200)
	netip.MustParsePrefix("192.0.0.0/24"),      // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),      // documentation (TEST-NET-1)
	netip.MustParsePrefix("198.18.0.0/15"),     // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),   // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),    // documentation (TEST-NET-3)
	netip.MustParsePrefix("240.0.0.0/4"),       // reserved, and the broadcast address
	netip.MustParsePrefix("::/96"),             // IPv4-compatible (deprecated): ::127.0.0.1
	netip.MustParsePrefix("64:ff9b::/96"),      // NAT64: would reach any IPv4 address, loopback included
	netip.MustParsePrefix("64:ff9b:1::/48"),    // local-use NAT64
	netip.MustParsePrefix("100::/64"),          // discard-only
	netip.MustParsePrefix("2001:db8::/32"),     // documentation
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS's IPv6 instance metadata, inside fc00::/7
}

// refusal says why ip may not be dialled, or "" when it may. Loopback is
// refused unless allowLoopback.
func refusal(ip netip.Addr, allowLoopback bool) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an IP address"
	case ip.IsLoopback():
		if allowLoopback {
			return ""
		}
		return "a loopback address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address (the cloud metadata service lives there)"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return "a reserved address (" + p.String() + ")"
		}
	}
	return ""
}

// errRefusedAddress marks a delivery whose destination is refused: it is
// not retried, since the same address would be refused again.
var errRefusedAddress = errors.New("refused destination")

// refusedError is a dial the guard stopped.
type refusedError struct {
	addr, why string
}

func (e *refusedError) Error() string {
	return fmt.Sprintf("the webhook's host resolves to %s, %s: a webhook may not reach it", e.addr, e.why)
}

func (e *refusedError) Is(target error) bool { return target == errRefusedAddress }

// guardDial is the net.Dialer Control of the webhook's client: it runs on
// the address actually dialled, after DNS resolution, so a name that
// resolves (or re-resolves, DNS rebinding) to a refused address is stopped
// there, whatever the URL said.
func guardDial(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return &refusedError{addr: host, why: "not an IP address"}
	}
	if why := refusal(ip, loopbackAllowed()); why != "" {
		return &refusedError{addr: ip.Unmap().String(), why: why}
	}
	return nil
}

// newWebhookClient is the webhook's HTTP client: no proxy (a proxy would
// dial for us, past the guard), every dial guarded, no redirect followed,
// and each attempt bounded by timeout.
func newWebhookClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: guardDial}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{Timeout: timeout, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// literalRefusal checks a webhook URL's host when it is written as an IP
// address or as localhost, so that PUT /settings refuses it at once (422
// webhook_address_refused); a name is checked when it is dialled.
func literalRefusal(host string) string {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		if loopbackAllowed() {
			return ""
		}
		return "localhost, a loopback address"
	}
	// A zone (fe80::1%eth0) is only ever link-local.
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	ip, err := netip.ParseAddr(h)
	if err != nil {
		return ""
	}
	if why := refusal(ip, loopbackAllowed()); why != "" {
		return ip.Unmap().String() + ", " + why
	}
	return ""
}

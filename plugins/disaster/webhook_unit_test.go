package main

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// A failed delivery's logged error never repeats the receiver's token
// from the address's query.
func TestDeliveryErrorDropsTheQuery(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Post", URL: "https://bpbd.example/hook?token=s3cret", Err: errors.New("connection refused")}, "Post https://bpbd.example/hook: connection refused"},
		{errors.New("receiver answered 500"), "receiver answered 500"},
	} {
		got := deliveryError(tt.err)
		if got != tt.want || strings.Contains(got, "s3cret") {
			t.Errorf("deliveryError(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

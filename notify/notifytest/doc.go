// Package notifytest provides SMTP servers for tests and the demo: Mailpit,
// a private Mailpit process on loopback ports whose REST API shows what
// arrived, and Capture, an in-process go-smtp server that records messages
// and injects 4xx/5xx replies or dropped connections on demand. OnScreens
// opens a rendered mail or page in Chromium at a phone's and a desktop's
// width.
//
// Tests that need Mailpit skip when the binary is missing, unless
// VVGINTAKE_TEST_REAL=1 (set by CI), when they fail instead.
package notifytest

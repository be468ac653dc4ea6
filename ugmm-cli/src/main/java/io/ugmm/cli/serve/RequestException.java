package io.ugmm.cli.serve;

/** A request the server refuses, with the HTTP status, an error kind for metrics and a message for the client. */
final class RequestException extends Exception {
    private final int status;
    private final ErrorKind kind;

    RequestException(int status, ErrorKind kind, String message) {
        super(message, null, false, false); // a client's mistake: no stack trace to fill
        this.status = status;
        this.kind = kind;
    }

    static RequestException badRequest(ErrorKind kind, String message) {
        return new RequestException(400, kind, message);
    }

    int status() {
        return status;
    }

    ErrorKind kind() {
        return kind;
    }
}

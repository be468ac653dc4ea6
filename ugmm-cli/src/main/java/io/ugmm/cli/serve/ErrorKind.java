package io.ugmm.cli.serve;

import java.util.Locale;

/** Why a request failed; the {@code kind} label of {@code ugmm_errors_total} and the error body's field. */
enum ErrorKind {
    /** Not JSON, or not the shape {@code {"rows": [[...], ...]}}. */
    MALFORMED_JSON,
    /** A row with the wrong number of values, or rows that are not arrays. */
    WRONG_SHAPE,
    /** A value that is not a number (a string, null, true, a nested array). */
    NOT_A_NUMBER,
    /** NaN, Infinity, or a number beyond the float range. */
    NOT_FINITE,
    /** The body is larger than {@code --max-body-bytes}. */
    TOO_LARGE,
    /** The queue of rows waiting to be scored is full. */
    OVERLOADED,
    /** Scoring did not finish within the request timeout. */
    TIMEOUT,
    /** The client closed the connection mid-request, or sent it slower than the request timeout allows. */
    CLIENT_IO,
    /** A path or method the server does not serve. */
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    /** {@code POST /v1/reload} without {@code --allow-reload}. */
    RELOAD_DISABLED,
    /** The model file could not be loaded again; the previous model stays. */
    RELOAD_FAILED,
    /** The server is stopping and takes no new work. */
    SHUTTING_DOWN,
    /** A bug: logged with its stack trace. */
    INTERNAL;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

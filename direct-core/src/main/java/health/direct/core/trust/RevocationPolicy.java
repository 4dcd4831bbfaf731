package health.direct.core.trust;

/**
 * What to do when a certificate names a CRL or OCSP responder but no answer can be had.
 * {@link #STRICT}, the default, refuses trust (fail closed: a revoked key must never pass because a
 * server was down); {@link #BEST_EFFORT} accepts and records a note.
 */
public enum RevocationPolicy { STRICT, BEST_EFFORT }

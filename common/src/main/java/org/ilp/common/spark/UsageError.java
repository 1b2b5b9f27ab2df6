package org.ilp.common.spark;

/**
 * The request does not fit the warehouse (a period that was never assessed, an unknown scope or
 * jurisdiction): the user's mistake, not a failure. The CLI reports the message and exits 2, as for
 * any other usage error; the message says what does exist.
 */
public class UsageError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(message);
  }
}

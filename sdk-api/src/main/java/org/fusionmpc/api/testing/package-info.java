/** Running both parties of a protocol in one JVM, for tests and benchmarks of protocols built on the SDK. */
package org.fusionmpc.api.testing;

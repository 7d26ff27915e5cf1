package io.llmlb.health.standalone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed broker certificate for 127.0.0.1 and localhost, and a truststore holding it, made
 * with the running JDK's own keytool: the test owns its PKI and nothing is checked in.
 *
 * @param keystore PKCS12 with the broker's EC key and certificate
 * @param truststore PKCS12 trusting that certificate
 * @param password of both stores and the key
 * @param subject the certificate's distinguished name
 */
record TestCertificates(Path keystore, Path truststore, String password, String subject) {

    static TestCertificates create(Path dir, String password) throws IOException, InterruptedException {
        String subject = "CN=llmlb-broker";
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", subject, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-file", certificate.toString(),
                "-keystore", keystore.toString(), "-storepass", password);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", password);
        return new TestCertificates(keystore, truststore, password, subject);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        TestStacks.Result result = TestStacks.run(command, "");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + result.output());
        }
    }
}

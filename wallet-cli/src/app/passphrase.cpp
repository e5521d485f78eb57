#include "passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/wallet/keystore.hpp"

namespace bauhinia::wallet {

namespace {

std::string first_line(std::string text) {
  const auto nl = text.find_first_of("\r\n");
  std::string line = text.substr(0, nl);
  core::secure_zero(text.data(), text.size());
  return line;
}

// One line from the terminal with echo off.
core::Result<std::string> prompt_tty(std::string_view prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return core::Status::invalid_argument(
        "a passphrase is needed and there is no terminal to ask on: use --passphrase-file FILE "
        "or set BAUHINIA_WALLET_PASSPHRASE");
  }
  const std::string text = std::string(prompt);
  (void)!::write(fd, text.data(), text.size());
  termios old{};
  const bool is_tty = ::tcgetattr(fd, &old) == 0;
  if (is_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c = 0;
  bool too_long = false;
  while (::read(fd, &c, 1) == 1 && c != '\n') {
    if (line.size() < kMaxPassphraseSize) {
      line.push_back(c);
    } else {
      too_long = true;
    }
  }
  if (is_tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  ::close(fd);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (too_long) {
    core::secure_zero(line.data(), line.size());
    return core::Status::invalid_argument("the passphrase is longer than 1024 characters");
  }
  return line;
}

}  // namespace

core::Result<std::string> read_passphrase(const Context& ctx, std::string_view prompt,
                                          bool confirm) {
  std::string pass;
  if (!ctx.options.passphrase_file.empty()) {
    auto text = read_private_file(ctx.options.passphrase_file, kMaxPassphraseSize + 2);
    if (!text) return std::move(text).error();
    pass = first_line(std::move(*text));
  } else if (const char* env = std::getenv("BAUHINIA_WALLET_PASSPHRASE"); env != nullptr) {
    pass = env;
    if (pass.size() > kMaxPassphraseSize) {
      return core::Status::invalid_argument(
          "BAUHINIA_WALLET_PASSPHRASE is longer than 1024 characters");
    }
  } else {
    auto first = prompt_tty(std::string(prompt) + ": ");
    if (!first) return first;
    if (confirm) {
      auto again = prompt_tty("again, to confirm: ");
      if (!again) return again;
      const bool same = *again == *first;
      core::secure_zero(again->data(), again->size());
      if (!same) {
        core::secure_zero(first->data(), first->size());
        return core::Status::invalid_argument("the two passphrases differ");
      }
    }
    pass = std::move(*first);
  }
  if (pass.empty()) return core::Status::invalid_argument("the passphrase is empty");
  return pass;
}

}  // namespace bauhinia::wallet

// bauhinia-wallet: the officers' and admins' wallet (docs/wallet.md).
#include <iostream>

#include "bauhinia/wallet/context.hpp"

int main(int argc, char** argv) {
  return bauhinia::wallet::run_wallet(argc, argv, std::cout, std::cerr);
}
